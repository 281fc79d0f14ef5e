package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Optional;

/** Calls presigned object-store URLs: PUT a slice of a spool entry, POST a small document, DELETE. */
public final class ObjectStoreClient {
    private final Vertx vertx;
    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;

    public ObjectStoreClient(Vertx vertx, HttpClient client, Duration connectTimeout, Duration idleTimeout) {
        this.vertx = vertx;
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** PUTs bytes {@code [start, start + length)} of {@code entry}, streamed from the spool; answers the ETag. */
    public Future<String> put(String url, SpoolEntry entry, long start, long length) {
        return SpoolReader.open(vertx, entry, start, start + length).compose(reader -> client
                .request(options(HttpMethod.PUT, url).putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)))
                .compose(request -> ResettingPipe.send(request, reader::sendTo).compose(response -> etagOf(request, response)))
                .andThen(ar -> reader.close())
                .recover(err -> Future.failedFuture(downloadFailureOr(entry, err))));
    }

    /** POSTs a small document and answers the store's (small) reply. */
    public Future<Optional<Buffer>> post(String url, String contentType, String body) {
        return client.request(options(HttpMethod.POST, url).putHeader(HttpHeaders.CONTENT_TYPE, contentType))
                .compose(request -> request.send(body))
                .compose(response -> response.statusCode() / 100 == 2
                        ? BoundedBody.read(response)
                        : BoundedBody.discard(response).transform(ar ->
                                Future.failedFuture(UploadFailure.status("object store POST", response.statusCode()))));
    }

    public Future<Void> delete(String url) {
        return client.request(options(HttpMethod.DELETE, url))
                .compose(request -> request.send())
                .compose(response -> BoundedBody.discard(response).transform(ar -> response.statusCode() / 100 == 2
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(UploadFailure.status("object store DELETE", response.statusCode()))));
    }

    private RequestOptions options(HttpMethod method, String url) {
        return new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(url)
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(idleTimeout.toMillis());
    }

    /** A PUT reset because the download failed reports why the download failed. */
    private static Throwable downloadFailureOr(SpoolEntry entry, Throwable err) {
        Throwable downloadFailure = entry.progress().failure();
        return downloadFailure != null ? downloadFailure : err;
    }

    private static Future<String> etagOf(HttpClientRequest request, HttpClientResponse response) {
        if (response.statusCode() / 100 != 2) {
            request.reset();
            return Future.failedFuture(UploadFailure.status("object store PUT", response.statusCode()));
        }
        String etag = response.getHeader(HttpHeaders.ETAG);
        return BoundedBody.discard(response).map(v -> etag == null ? "" : etag);
    }
}
