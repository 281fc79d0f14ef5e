package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.UploadedFile;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * Tells the control plane a verified download is stored ({@code POST <UploadConfig.Url>}, a signed form). Uses only
 * the internal JWT, never the client's token, and is bounded by the upload grace period.
 */
public final class UploadFinalizer {
    private final HttpClient controlPlane;
    private final InternalRequests requests;
    private final Duration grace;

    public UploadFinalizer(HttpClient controlPlane, InternalRequests requests, Duration grace) {
        this.controlPlane = controlPlane;
        this.requests = requests;
        this.grace = grace;
    }

    public Future<Void> finalizeUpload(UploadTarget target, UploadedFile file, MultiMap upstreamHeaders,
                                       String requestId) {
        String form = FinalizeForm.encode(file, target.url(), grace, requests.jwt());
        RequestOptions options = requests.build(HttpMethod.valueOf(target.method()), target.url(), target,
                upstreamHeaders, requestId, grace);
        options.putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.FORM);
        return controlPlane.request(options)
                .compose(request -> request.send(form))
                .compose(response -> BoundedBody.discard(response).transform(ar -> response.statusCode() == 200
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(UploadFailure.status("upload finalize", response.statusCode()))));
    }
}
