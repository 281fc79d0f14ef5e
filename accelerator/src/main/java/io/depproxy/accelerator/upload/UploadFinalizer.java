package io.depproxy.accelerator.upload;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.depproxy.contracts.upload.UploadedFile;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;

/**
 * Tells the control plane a verified download is stored ({@code POST <UploadConfig.Url>}, a signed form). Uses only
 * the internal JWT, never the client's token, and is bounded by the upload grace period.
 */
public final class UploadFinalizer {
    private final InternalRequests requests;
    private final Duration grace;

    public UploadFinalizer(InternalRequests requests, Duration grace) {
        this.requests = requests;
        this.grace = grace;
    }

    /** {@code readAhead}: who took a download the read-ahead started (marked for the control plane, which counts). */
    public Future<Void> finalizeUpload(UploadTarget target, UploadedFile file, MultiMap upstreamHeaders,
                                       String requestId, ReadAheadOutcome readAhead) {
        String form = FinalizeForm.encode(file, target.url(), grace, requests.jwt());
        HttpRequest<Buffer> request = requests.build(HttpMethod.valueOf(target.method()), target.url(), target,
                upstreamHeaders, requestId, grace);
        if (readAhead.headerValue() != null) {
            request.putHeader(Headers.READ_AHEAD, readAhead.headerValue());
        }
        return request
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), MediaTypes.FORM)
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(form))
                .compose(response -> response.statusCode() == 200
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(UploadFailure.status("upload finalize", response.statusCode())));
    }
}
