package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.StallWatchdog;
import io.depproxy.accelerator.stream.spool.ConnectionFileSend;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls presigned object-store URLs: PUT a slice of a spool entry, POST a small document, DELETE. */
public final class ObjectStoreClient {
    static final int PUT_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreClient.class);

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration answerTimeout;

    /**
     * {@code answerTimeout}: how long the store may stay silent once a PUT's whole body was written. The last bytes
     * written may still sit in socket buffers (megabytes on a fast sender) and reach the store only at the link's
     * speed, and S3 answers nothing until it has them all: the idle timeout would drop a store of a slow link.
     */
    public ObjectStoreClient(Vertx vertx, HttpClient client, Duration connectTimeout, Duration idleTimeout,
                             Duration answerTimeout) {
        this.vertx = vertx;
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.answerTimeout = answerTimeout;
    }

    /**
     * PUTs bytes {@code [start, start + length)} of {@code entry}, streamed from the spool file; answers the ETag.
     * A big body may take longer than the idle timeout to send: that timeout applies while it is sent, to the store
     * not taking bytes that are there to send; once the body is written the store has the answer timeout.
     * A PUT whose connection was lost is sent again on another, up to {@value #PUT_ATTEMPTS} times in all: a pooled
     * connection the store closed for idleness just as it was taken (measured: a burst of stores after a busy
     * minute lost five blobs to broken pipes on S3Proxy's keep-alive connections) is not a reason to lose the blob,
     * and a presigned PUT of the same bytes may be repeated. A store that answers, stalls or times out is not asked
     * again.
     */
    public Future<String> put(String url, SpoolEntry entry, long start, long length) {
        return put(url, entry, start, length, PUT_ATTEMPTS)
                .recover(err -> Future.failedFuture(downloadFailureOr(entry, err)));
    }

    private Future<String> put(String url, SpoolEntry entry, long start, long length, int attempts) {
        return putOnce(url, entry, start, length).recover(err -> {
            if (attempts <= 1 || !connectionLost(err) || entry.progress().failure() != null) {
                return Future.failedFuture(err);
            }
            LOG.info("object store PUT sent again on another connection: {}", err.toString());
            return put(url, entry, start, length, attempts - 1);
        });
    }

    private Future<String> putOnce(String url, SpoolEntry entry, long start, long length) {
        RequestOptions options = options(HttpMethod.PUT, url).setIdleTimeout(0)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        return SpoolReader.open(vertx, entry, start, start + length).compose(reader -> client.request(options)
                .compose(request -> {
                    StallWatchdog watchdog = watchStalls(request, reader, entry, start + length);
                    return ResettingPipe.send(request, body -> send(request, reader, body).andThen(ar -> {
                                watchdog.cancel();
                                request.idleTimeout(answerTimeout.toMillis());
                            }))
                            .compose(response -> etagOf(request, response))
                            .andThen(ar -> watchdog.cancel())
                            .recover(err -> Future.failedFuture(watchdog.fired() ? new UploadFailure(
                                    "object store took no bytes for " + idleTimeout.toMillis() + " ms") : err));
                })
                .andThen(ar -> reader.close()));
    }

    /** The connection broke under the request (closed, reset, refused), as opposed to an answer or a timeout. */
    private static boolean connectionLost(Throwable err) {
        return err instanceof IOException || err instanceof HttpClosedException;
    }

    /**
     * The range is all on disk (an upload starts once the download is verified): it goes zero-copy from the file after
     * the request's head, with no copy through the JVM, where the connection allows it (HTTP/1.x).
     */
    private static Future<Void> send(HttpClientRequest request, SpoolReader reader, WriteStream<Buffer> body) {
        return ConnectionFileSend.of(request.connection(), sent -> {
        }).map(fileSend -> request.sendHead().compose(v -> reader.sendFileTo(body, fileSend)))
                .orElseGet(() -> reader.sendTo(body));
    }

    /**
     * Resets the PUT when, for a whole idle period while its body is being sent, the store took none of the bytes
     * the spool had for it (a range the spool does not have yet is not a stall of the store).
     */
    private StallWatchdog watchStalls(HttpClientRequest request, SpoolReader reader, SpoolEntry entry, long end) {
        return StallWatchdog.start(vertx, idleTimeout, reader::position,
                () -> entry.progress().written() > reader.position() || reader.position() >= end,
                () -> request.reset(0));
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
