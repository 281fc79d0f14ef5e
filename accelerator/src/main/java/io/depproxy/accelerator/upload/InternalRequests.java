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
 * …/upload/authorize} and {@code …/upload}), on the Web Client: address, timeouts, no redirects, the internal JWT.
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
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(config.resolveOnControlPlane(urlOrPath))
                .setConnectTimeout(config.upstreamConnectTimeout().toMillis())
                .setIdleTimeout(timeout.toMillis())
                .setFollowRedirects(false);
        target.headers().asMap().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        options.putHeader(Headers.API_REQUEST, jwt.apiRequestToken());
        options.putHeader(Headers.REQUEST_ID, requestId);
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
}
