package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.hot.HotTier;
import io.depproxy.accelerator.logging.UrlMask;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.CapExceeded;
import io.depproxy.accelerator.stream.CappedBody;
import io.depproxy.accelerator.stream.StallWatchdog;
import io.depproxy.accelerator.stream.spool.Spool;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.stream.spool.SpoolWriter;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GET from a {@link DownloadOrigin} (the upstream for a send-dependency, a peer replica for a send-peer), shared
 * by every client that asks for the same {@link CoalesceKey} while it runs. The origin may send at most its
 * {@code MaximumSize}: a longer announced length is refused before the body is read, and a body that grows past it
 * is stopped there ({@link CappedBody}), failing the download like a broken connection.
 * The body goes to a spool entry; clients read it behind the writer, the uploader once it is verified. Verification
 * (length and digest) happens when the writer ends; only then do readers get the last byte. The fetch does not depend on its
 * clients: when the last one leaves it keeps going for the upload grace period, unless more than
 * {@link #ABANDON_REMAINING_BYTES} are still to come. An upstream that sends no body bytes for the stall timeout
 * fails the download (and so every client). All state but the client count is confined to the context of the
 * request that started it.
 */
public final class DependencyFetch {
    /** Below this, finishing a download nobody reads any more is cheaper than fetching it again later. */
    public static final long ABANDON_REMAINING_BYTES = 256L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DependencyFetch.class);
    private static final List<String> CLIENT_HEADERS = List.of("Content-Type", "Content-Length",
            Headers.DOCKER_CONTENT_DIGEST, "ETag");

    /**
     * How long a stored download stays joinable after its finalize returned: the control plane may have decided "miss"
     * for a request just before the record was committed, and that request reaches us just after; it joins the
     * verified spool file instead of fetching the blob again (whose upload would then be refused as a duplicate).
     */
    static final Duration JOINABLE_AFTER_STORED = Duration.ofSeconds(2);

    /**
     * What a fetch needs from the verticle that starts it.
     *
     * @param upstreamStall how long the upstream may send no body bytes (while we would take them)
     * @param clientStall   how long a client may take no bytes that are there for it before it is dropped
     */
    public record Services(Vertx vertx, Spool spool, AcceleratorMetrics metrics, Duration uploadGrace, HotTier hot,
                           Duration upstreamStall, Duration clientStall) {
    }

    private final Services services;
    private final DownloadOrigin origin;
    private final String requestId;
    private final Context context;
    private final Promise<FetchHead> head = Promise.promise();
    private final Promise<Void> completion = Promise.promise();
    private final Promise<Void> downloadEnd = Promise.promise();
    private final AtomicInteger clients = new AtomicInteger();
    private UpstreamResponse upstream;
    private SpoolEntry entry;
    /** The verified body, read back once (context-confined like the rest); null until someone needs it. */
    private Future<Optional<Buffer>> manifestBody;
    private long graceTimer = -1;
    private boolean settled;
    private boolean finished;
    /**
     * Who took a download the read-ahead started, told to the store (who counts the pull's miss): AHEAD_OF_CLIENTS
     * until a client takes it; ASKED for any other download; null once the store was told (from then on a client
     * asks the control plane, whose record says the rest).
     */
    private final AtomicReference<ReadAheadOutcome> readAhead = new AtomicReference<>(ReadAheadOutcome.ASKED);

    DependencyFetch(Services services, DownloadOrigin origin, String requestId) {
        this.services = services;
        this.origin = origin;
        this.requestId = requestId;
        this.context = services.vertx().getOrCreateContext();
    }

    Future<FetchHead> head() {
        return head.future();
    }

    /**
     * Completes when this fetch stops being joinable: at once when its download failed; {@link #JOINABLE_AFTER_STORED}
     * after it was stored (or its upload given up) otherwise.
     */
    public Future<Void> completion() {
        return completion.future();
    }

    /** Completes once the download ended (verified, failed, or never started), whatever becomes of the upload. */
    Future<Void> downloadEnded() {
        return downloadEnd.future();
    }

    boolean onCurrentContext() {
        return Vertx.currentContext() == context;
    }

    /**
     * Starts the upstream GET. Where the fetch ends before its head, it leaves the registry before the head reaches its
     * clients (they may be answered at once, on this event loop): a client that was answered never finds it there.
     */
    void start() {
        origin.get(requestId)
                .onSuccess(this::onUpstreamAnswer)
                .onFailure(err -> {
                    finish();
                    head.fail(err);
                });
    }

    /** {@link #start()} for the read-ahead: nobody asked for this download yet. */
    void startAhead() {
        readAhead.set(ReadAheadOutcome.AHEAD_OF_CLIENTS);
        start();
    }

    /**
     * Takes this download for a client on the read-ahead's decision (the client did not ask the control plane): only
     * while the read-ahead's download is still nobody's and not yet told to the store. The client's miss is then
     * counted at finalize.
     */
    boolean takeOnReadAheadDecision() {
        return readAhead.compareAndSet(ReadAheadOutcome.AHEAD_OF_CLIENTS, ReadAheadOutcome.JOINED_ON_DECISION);
    }

    /** A client (or a peer replica's relay) that asked the control plane, which counted its miss, takes it. */
    void clientAttached() {
        readAhead.compareAndSet(ReadAheadOutcome.AHEAD_OF_CLIENTS, ReadAheadOutcome.ASKED);
        clients.incrementAndGet();
        context.runOnContext(v -> cancelGrace());
    }

    void clientDetached() {
        if (clients.decrementAndGet() == 0) {
            context.runOnContext(v -> onUnwatched());
        }
    }

    /** What became of the read-ahead, read once by the store at finalize; a client that comes later asks. */
    private ReadAheadOutcome tellStore() {
        ReadAheadOutcome outcome = readAhead.getAndSet(null);
        return outcome == null ? ReadAheadOutcome.ASKED : outcome;
    }

    private void onUpstreamAnswer(UpstreamResponse response) {
        if (response.statusCode() / 100 != 2) {
            FetchHead.UpstreamError.read(response).onComplete(ar -> {
                finish();
                head.handle(ar);
            });
            return;
        }
        long length = ContentLength.of(response.headers());
        if (origin.exceedsMaximumSize(length)) {
            // refused before a byte is read: nothing spooled, the connection closed
            response.reset();
            CapExceeded refused = CapExceeded.announced(length, origin.maximumSize());
            logDownloadFailure(refused);
            finish();
            head.fail(refused);
            return;
        }
        MultiMap headers = ClientHeaders.select(response.headers(), CLIENT_HEADERS);
        MissHeaders client = origin.clientHead(headers);
        SpoolEntry spooled = services.spool().tryCreate(length);
        if (spooled == null) {
            services.metrics().spoolPassThrough();
            LOG.atWarn().addKeyValue("request_id", requestId).log("spool is full: passing {} through without storing it",
                    UrlMask.mask(origin.url()));
            finish();
            head.complete(new FetchHead.PassThrough(client.headers(), response, new AtomicBoolean()));
            return;
        }
        upstream = response;
        entry = spooled;
        // the clients' heads go out now, while the spool file is created: nothing before the first byte waits for
        // the disk (a reader opens the file only once bytes are on disk; a writer that cannot start fails the entry)
        if (!client.typeFromBody()) {
            head.complete(new FetchHead.Spooled(client.headers(), entry));
        }
        SpoolWriter.open(services.vertx(), spooled)
                .onSuccess(writer -> spool(writer, headers, client))
                .onFailure(err -> {
                    response.reset();
                    spooled.fail(err);
                    finish();
                    head.tryFail(err);
                });
    }

    /**
     * {@code upstreamHeaders} go with the upload (the control plane checks a manifest's type itself); the clients got
     * {@code client} already, or get it once the download is verified when the manifest's body names its type.
     */
    private void spool(SpoolWriter writer, MultiMap upstreamHeaders, MissHeaders client) {
        Future<Void> stored = origin.store(context, entry, upstreamHeaders, requestId, this::tellStore);
        StallWatchdog stall = StallWatchdog.start(services.vertx(), services.upstreamStall(), writer::count,
                () -> !writer.writeQueueFull(), this::upstreamStalled);
        Future<Void> downloaded = new CappedBody(upstream, origin.maximumSize()).pipe().endOnComplete(false).to(writer)
                .andThen(ar -> stall.cancel())
                .compose(v -> writer.end())
                .compose(v -> verify(writer))
                .onFailure(err -> downloadFailed(writer, err))
                .compose(v -> keepHot(writer))
                .andThen(ar -> origin.fetched(writer.count()))
                .andThen(ar -> downloadEnd.tryComplete())
                .onSuccess(v -> announceManifest());
        if (client.typeFromBody()) {
            downloaded.transform(ar -> ar.succeeded() ? typedByBody(client) : Future.succeededFuture(client.headers()))
                    .onComplete(ar -> head.complete(new FetchHead.Spooled(ar.result(), entry)));
        }
        // joinable until the download is over, whatever happens to the upload (refused, failed, finalized)
        Future.join(downloaded, stored).onComplete(ar -> {
            settled = true;
            cancelGrace();
            if (downloaded.succeeded()) {
                services.vertx().setTimer(JOINABLE_AFTER_STORED.toMillis(), id -> finish());
            } else {
                finish();
            }
        });
    }

    /** A verified manifest goes to the origin's observer (within the manifest cap). */
    private void announceManifest() {
        if (!origin.observesManifest()) {
            return;
        }
        verifiedManifest().onSuccess(body -> body.ifPresent(origin::manifestVerified))
                .onFailure(err -> LOG.atWarn().addKeyValue("request_id", requestId)
                        .log("verified manifest of {} not read back: {}", UrlMask.mask(origin.url()), err.toString()));
    }

    /** The verified manifest's own type (within the manifest cap). */
    private Future<MultiMap> typedByBody(MissHeaders client) {
        return verifiedManifest().map(body -> body.map(bytes -> client.typedBy(bytes.getBytes()))
                .orElse(client.headers())).otherwise(client.headers());
    }

    /**
     * The verified body read back from the spool file once, for whoever needs it (the head's type, the observer); empty
     * above the manifest cap. The file stays until the upload is over, well after this read.
     */
    private Future<Optional<Buffer>> verifiedManifest() {
        if (manifestBody == null) {
            manifestBody = entry.progress().written() > AuthorizeResponse.MAX_MANIFEST_SIZE
                    ? Future.succeededFuture(Optional.empty())
                    : services.vertx().fileSystem().readFile(entry.file().toString()).map(Optional::of);
        }
        return manifestBody;
    }

    private void upstreamStalled() {
        UpstreamStalled stalled = new UpstreamStalled(origin.injection() + ": the origin sent no bytes for "
                + services.upstreamStall().toMillis() + " ms");
        logDownloadFailure(stalled);
        entry.fail(stalled);
        upstream.reset();
    }

    private Future<Void> verify(SpoolWriter writer) {
        long expected = entry.expectedLength();
        String digest = "sha256:" + writer.sha256Hex();
        if (expected >= 0 && writer.count() != expected) {
            return Future.failedFuture(new VerificationFailure(origin.injection() + ": the origin sent " + writer.count()
                    + " bytes but announced " + expected));
        }
        if (origin.digest() != null && !origin.digest().equals(digest)) {
            return Future.failedFuture(new VerificationFailure(origin.injection() + ": digest mismatch: expected "
                    + origin.digest() + ", got " + digest));
        }
        entry.markVerified(writer.sha256Hex());
        return Future.succeededFuture();
    }

    /** A verified blob stays on local disk for the next hits; before {@link #finish()} may delete the spool file. */
    private Future<Void> keepHot(SpoolWriter writer) {
        if (origin.digest() == null) {
            return Future.succeededFuture();
        }
        return services.hot().adopt(context, origin.digest(), entry.file(), writer.count());
    }

    private void downloadFailed(SpoolWriter writer, Throwable err) {
        if (err instanceof VerificationFailure) {
            services.metrics().verificationFailed();
        }
        if (entry.progress().failure() == null) {
            logDownloadFailure(err);
        }
        entry.fail(err);
        completion.tryComplete();
        writer.abort();
        upstream.reset();
    }

    private void logDownloadFailure(Throwable err) {
        LOG.atError().addKeyValue("request_id", requestId).addKeyValue("injection", origin.injection())
                .log("download of {} failed: {}", UrlMask.mask(origin.url()), UrlMask.mask(String.valueOf(err.getMessage())));
    }

    private void onUnwatched() {
        if (finished || settled || entry == null || clients.get() > 0) {
            return;
        }
        SpoolEntry.Progress progress = entry.progress();
        long remaining = entry.expectedLength() - progress.written();
        if (!progress.verified() && entry.expectedLength() >= 0 && remaining > ABANDON_REMAINING_BYTES) {
            abort("no client is reading and " + remaining + " bytes are still to come");
            return;
        }
        cancelGrace();
        graceTimer = services.vertx().setTimer(services.uploadGrace().toMillis(), id -> {
            graceTimer = -1;
            if (!finished && !settled && clients.get() == 0) {
                abort("not stored within the upload grace period");
            }
        });
    }

    private void abort(String reason) {
        services.metrics().fetchAbandoned();
        LOG.atWarn().addKeyValue("request_id", requestId).log("abandoning download of {}: {}",
                UrlMask.mask(origin.url()), reason);
        entry.fail(new FetchAbandoned(origin.injection() + ": " + reason));
        upstream.reset();
    }

    private void cancelGrace() {
        if (graceTimer >= 0) {
            services.vertx().cancelTimer(graceTimer);
            graceTimer = -1;
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancelGrace();
        downloadEnd.tryComplete();
        // out of the registry first: a request that joins now must not find a file that is being deleted
        completion.tryComplete();
        if (entry != null) {
            entry.release();
        }
    }
}
