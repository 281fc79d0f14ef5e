package io.depproxy.accelerator.proxy;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.config.EdgeSettings;
import io.depproxy.accelerator.edge.InternalHeaders;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.stream.HopByHopHeaders;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * The one place that builds a request to the control plane for a client's exchange: its end-to-end headers except
 * the internal ones, plus X-Forwarded-* and X-Request-Id, and, for a GET with peer sharing on, this replica's peer
 * URL signed with the internal JWT ({@link #withPeerUrl}). Used for the client's own request ({@link BackendProxy})
 * and for the requests made on its behalf (the blob read-ahead asks for an image's blobs as its client would,
 * {@link #readAheadFor}).
 */
public final class ControlPlaneRequests {
    private final AcceleratorConfig config;
    /** Signs what the control plane believes only from this accelerator (the peer URL, the read-ahead mark). */
    private final InternalJwt jwt;

    public ControlPlaneRequests(AcceleratorConfig config) {
        this.config = config;
        this.jwt = new InternalJwt(config.internalSecret());
    }

    /** The client's request as it came: its method, {@code path} (the one the edge checked) and its query. */
    RequestOptions forward(Exchange exchange, String path) {
        return options(exchange, exchange.request().method(), pathAndQuery(exchange, path));
    }

    /** What the control plane is asked for a client's request: {@code path} (the one the edge checked), its query. */
    static String pathAndQuery(Exchange exchange, String path) {
        String query = exchange.request().query();
        return query == null ? path : path + "?" + query;
    }

    /**
     * A GET of {@code pathAndQuery} with the client's credentials and request id, as the client would send it, marked
     * as the read-ahead's ({@link Headers#READ_AHEAD}, signed): decided as the client's, counted apart.
     */
    public RequestOptions readAheadFor(Exchange exchange, String pathAndQuery) {
        RequestOptions options = options(exchange, HttpMethod.GET, pathAndQuery);
        options.getHeaders().set(Headers.READ_AHEAD, "1").set(Headers.API_REQUEST, jwt.apiRequestToken());
        return options;
    }

    private RequestOptions options(Exchange exchange, HttpMethod method, String uri) {
        MultiMap headers = forwardedHeaders(exchange);
        if (method == HttpMethod.GET) {
            withPeerUrl(headers);
        }
        return new RequestOptions()
                .setMethod(method)
                .setHost(config.controlPlaneUrl().getHost())
                .setPort(config.controlPlanePort())
                .setSsl(config.controlPlaneSsl())
                .setURI(uri)
                .setHeaders(headers)
                .setConnectTimeout(config.upstreamConnectTimeout().toMillis())
                .setIdleTimeout(EdgeSettings.CONTROL_PLANE_ANSWER_TIMEOUT.toMillis());
    }

    /**
     * A GET names where peers reach this replica ({@code DP_PEER_ADVERTISE_URL}), signed with the internal JWT so the
     * control plane believes it: a miss it answers is then this replica's to fetch (its fetch lease), or streamed from
     * the replica that is already fetching it. Without peer sharing nothing is added.
     */
    private void withPeerUrl(MultiMap headers) {
        if (config.peers().enabled()) {
            headers.set(Headers.PEER_URL, config.peers().advertiseUrl());
            headers.set(Headers.API_REQUEST, jwt.apiRequestToken());
        }
    }

    private static MultiMap forwardedHeaders(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        MultiMap headers = InternalHeaders.strip(HopByHopHeaders.endToEnd(request.headers()));
        headers.remove(HttpHeaders.HOST);
        headers.remove(HttpHeaders.EXPECT);
        String clientAddress = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String forwardedFor = request.getHeader("X-Forwarded-For");
        headers.set("X-Forwarded-For", forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
        if (!headers.contains("X-Forwarded-Proto")) {
            headers.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
        }
        String host = request.getHeader(HttpHeaders.HOST);
        if (!headers.contains("X-Forwarded-Host") && host != null) {
            headers.set("X-Forwarded-Host", host);
        }
        headers.set(Headers.REQUEST_ID, exchange.requestId());
        return headers;
    }
}
