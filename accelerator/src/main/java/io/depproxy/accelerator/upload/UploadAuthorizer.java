package io.depproxy.accelerator.upload;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Asks the control plane where a download may be stored ({@code POST <UploadConfig.Url>/authorize}). */
public final class UploadAuthorizer {
    private final InternalRequests requests;
    private final Duration timeout;

    public UploadAuthorizer(InternalRequests requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    /** @param length the upstream Content-Length, or -1 */
    public Future<AuthorizeResponse> authorize(UploadTarget target, MultiMap upstreamHeaders, long length,
                                               String requestId) {
        HttpRequest<Buffer> request = requests.build(HttpMethod.POST, target.authorizeUrl(), target, upstreamHeaders,
                requestId, timeout);
        request.putHeader(HttpHeaders.CONTENT_LENGTH.toString(), "0");
        if (length >= 0) {
            request.putHeader(Headers.UPLOAD_LENGTH, Long.toString(length));
        }
        return request.as(BoundedAnswer.CODEC).send().compose(UploadAuthorizer::readAnswer);
    }

    /**
     * Tells the control plane that the store authorized for {@code remoteId} gave up, so the blob's lease goes at once
     * ({@code DELETE <UploadConfig.Url>/authorize?remote_id=…}). Best effort: completes (never fails) once answered.
     */
    public Future<Void> withdraw(UploadTarget target, String remoteId, String requestId) {
        String url = target.authorizeUrl() + (target.authorizeUrl().contains("?") ? "&" : "?") + "remote_id="
                + URLEncoder.encode(remoteId, StandardCharsets.UTF_8);
        return requests.build(HttpMethod.DELETE, url, target, MultiMap.caseInsensitiveMultiMap(), requestId, timeout)
                .as(BodyCodec.none())
                .send()
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }

    private static Future<AuthorizeResponse> readAnswer(HttpResponse<Optional<Buffer>> response) {
        String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE.toString());
        boolean internalJson = contentType != null
                && MediaTypes.stripParameters(contentType).equals(MediaTypes.WORKHORSE_INTERNAL_JSON);
        if (response.statusCode() != 200 || !internalJson) {
            return Future.failedFuture(UploadFailure.status("upload authorize", response.statusCode()));
        }
        return response.body()
                .map(Buffer::toString)
                .map(json -> Future.succeededFuture(AuthorizeResponse.fromJson(json)))
                .orElseGet(() -> Future.failedFuture(new UploadFailure("send-dependency: upload authorize answer is too large")));
    }
}
