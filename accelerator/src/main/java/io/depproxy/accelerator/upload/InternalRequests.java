package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.senddata.UploadTarget;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * The one place that builds the accelerator's signed JSON and form calls to the control plane ({@code
 * …/upload/authorize}, {@code …/upload} and the report of a missing object), on the Web Client: address, timeouts, no
 * redirects, the internal JWT.
 */
public final class InternalRequests {
    private final WebClient controlPlane;
    private final AcceleratorConfig config;
    private final InternalJwt jwt;

    public InternalRequests(WebClient controlPlane, AcceleratorConfig config, InternalJwt jwt) {
        this.controlPlane = controlPlane;
        this.config = config;
        this.jwt = jwt;
    }

    public InternalJwt jwt() {
        return jwt;
    }

    /**
     * A request to {@code urlOrPath} carrying the API token, the request id, the target's own headers, and the
     * upstream's digest and content type when it sent them.
     */
    public HttpRequest<Buffer> build(HttpMethod method, String urlOrPath, UploadTarget target, MultiMap upstreamHeaders,
                                     String requestId, Duration timeout) {
        RequestOptions options = options(method, urlOrPath, timeout);
        target.headers().asMap().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        signed(options, requestId);
        String digest = upstreamHeaders.get(Headers.DOCKER_CONTENT_DIGEST);
        if (digest != null) {
            options.putHeader(Headers.DOCKER_CONTENT_DIGEST, digest);
        }
        String contentType = upstreamHeaders.get(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            options.putHeader(Headers.PROXY_CONTENT_TYPE, contentType);
        }
        return controlPlane.request(method, options);
    }

    /** A request to {@code urlOrPath} carrying the API token and the request id, nothing else. */
    public HttpRequest<Buffer> build(HttpMethod method, String urlOrPath, String requestId, Duration timeout) {
        return controlPlane.request(method, signed(options(method, urlOrPath, timeout), requestId));
    }

    private RequestOptions options(HttpMethod method, String urlOrPath, Duration timeout) {
        return new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(config.resolveOnControlPlane(urlOrPath))
                .setConnectTimeout(config.upstreamConnectTimeout().toMillis())
                .setIdleTimeout(timeout.toMillis())
                .setFollowRedirects(false);
    }

    private RequestOptions signed(RequestOptions options, String requestId) {
        return options.putHeader(Headers.API_REQUEST, jwt.apiRequestToken()).putHeader(Headers.REQUEST_ID, requestId);
    }
}
