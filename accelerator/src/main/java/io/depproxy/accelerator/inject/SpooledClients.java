package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.stream.BoundedCopy;
import io.depproxy.accelerator.stream.CappedBody;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.StallWatchdog;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a client from the shared download for its {@link CoalesceKey} (starting it when there is none), whatever its
 * origin ({@link DownloadOrigin}: the upstream, or a peer replica), so concurrent identical misses cost one GET of
 * the origin; a request never joins a download of another URL or another expected digest. An origin that answered
 * no body reaches every waiter in the origin's own terms; a failed download resets every waiter's stream, and a
 * client that arrives once it has failed is answered by the origin. Clients read the spool behind the writer,
 * zero-copy for what is on disk already, as hits from the hot tier are sent. A client that takes none of the bytes
 * there for it for the client stall timeout is dropped without holding the download back.
 */
public final class SpooledClients {
    private static final Logger LOG = LoggerFactory.getLogger(SpooledClients.class);
    private final InflightRegistry<CoalesceKey, DependencyFetch> inflight;
    private final DependencyFetch.Services services;

    /** Shared by the injectors that serve clients from a download, the upstream's or a peer's. */
    public SpooledClients(InflightRegistry<CoalesceKey, DependencyFetch> inflight, DependencyFetch.Services services) {
        this.inflight = inflight;
        this.services = services;
    }

    /** Completes once the client was answered (the whole stream, an error, or a reset). */
    Future<Void> serve(Exchange exchange, DownloadOrigin origin) {
        return serve(exchange, origin, joinOrStart(exchange, origin));
    }

    /**
     * Starts the download of {@code origin} with no client (later clients of its coalesce key join it), unless one of
     * that key is running already or the origin has no key. Completes once at most {@code tailBytes} of that download
     * (the one started, or the one of the key already running) are still to arrive, or it ended; at once without a
     * key. When the spool had no room, the pass-through answer nobody would read is dropped: a client then fetches on
     * its own.
     */
    Future<Void> startDetached(DownloadOrigin origin, String requestId, long tailBytes) {
        Optional<CoalesceKey> key = origin.coalesceKey();
        if (key.isEmpty()) {
            return Future.succeededFuture();
        }
        InflightRegistry.Joined<DependencyFetch> joined = inflight.join(key.get(),
                () -> new DependencyFetch(services, origin, requestId));
        DependencyFetch fetch = joined.value();
        if (joined.leader()) {
            fetch.startAhead();
            fetch.head().onSuccess(head -> {
                if (head instanceof FetchHead.PassThrough passThrough && passThrough.claim()) {
                    passThrough.response().reset();
                }
            });
        }
        return nearEnd(fetch, tailBytes);
    }

    /**
     * Completes once at most {@code tailBytes} of {@code fetch}'s download are still to arrive, or it ended (a
     * download of unknown length, or not spooled: once it ended).
     */
    private Future<Void> nearEnd(DependencyFetch fetch, long tailBytes) {
        Context context = services.vertx().getOrCreateContext();
        Promise<Void> nearEnd = Promise.promise();
        fetch.head().onSuccess(head -> {
            if (head instanceof FetchHead.Spooled spooled && spooled.entry().expectedLength() >= 0) {
                spooled.entry().onWritten(Math.max(0, spooled.entry().expectedLength() - tailBytes),
                        () -> context.runOnContext(v -> nearEnd.tryComplete()));
            }
        });
        fetch.downloadEnded().onComplete(ar -> nearEnd.tryComplete());
        return nearEnd.future();
    }

    /**
     * The download of {@code origin}'s key the read-ahead started, taken for a client on the read-ahead's decision
     * ({@link DependencyFetch#takeOnReadAheadDecision}); empty when none is here or it is somebody's already.
     */
    Optional<DependencyFetch> takeReadAhead(DownloadOrigin origin) {
        return origin.coalesceKey().flatMap(inflight::get).filter(DependencyFetch::takeOnReadAheadDecision);
    }

    /** Serves a client from the download {@link #takeReadAhead} took for it. */
    Future<Void> serveTaken(Exchange exchange, DownloadOrigin origin, DependencyFetch fetch) {
        services.metrics().coalesced();
        return serve(exchange, origin, fetch);
    }

    private DependencyFetch joinOrStart(Exchange exchange, DownloadOrigin origin) {
        Optional<CoalesceKey> key = origin.coalesceKey();
        if (key.isEmpty()) {
            return startAlone(exchange, origin);
        }
        InflightRegistry.Joined<DependencyFetch> joined = inflight.join(key.get(),
                () -> new DependencyFetch(services, origin, exchange.requestId()));
        if (joined.leader()) {
            joined.value().start();
        } else {
            services.metrics().coalesced();
        }
        return joined.value();
    }

    private DependencyFetch startAlone(Exchange exchange, DownloadOrigin origin) {
        DependencyFetch fetch = new DependencyFetch(services, origin, exchange.requestId());
        fetch.start();
        return fetch;
    }

    private Future<Void> serve(Exchange exchange, DownloadOrigin origin, DependencyFetch fetch) {
        return onThisContext(fetch.head()).transform(ar -> ar.succeeded()
                ? serveHead(exchange, origin, fetch, ar.result())
                : origin.answerFailure(exchange, ar.cause()));
    }

    private Future<Void> serveHead(Exchange exchange, DownloadOrigin origin, DependencyFetch fetch, FetchHead head) {
        if (head instanceof FetchHead.UpstreamError error) {
            return origin.answerRefusal(exchange, error);
        }
        if (head instanceof FetchHead.PassThrough passThrough) {
            // the upstream answer belongs to the fetch's event loop: only a client on that loop may take it
            boolean taken = fetch.onCurrentContext() && passThrough.claim();
            return taken ? passThrough(exchange, origin, passThrough)
                    : serve(exchange, origin, startAlone(exchange, origin));
        }
        if (head instanceof FetchHead.Spooled spooled) {
            if (spooled.entry().progress().failure() != null) {
                return joinedTooLate(exchange, origin, spooled.entry().progress().failure());
            }
            fetch.clientAttached();
            // the head goes out as soon as the upstream answered: a download that fails before its first byte resets
            // the stream as a truncated upstream does (waiting for the first byte on disk cost a miss two worker hops)
            return SpoolReader.openForClient(services.vertx(), spooled.entry(), 0, SpoolReader.TO_THE_END)
                    .transform(ar -> {
                        Throwable downloadFailure = spooled.entry().progress().failure();
                        if (ar.failed() || downloadFailure != null) {
                            if (ar.succeeded()) {
                                ar.result().close();
                            }
                            fetch.clientDetached();
                            // gone because it failed: this client shares that outcome; gone because stored: fetch again
                            return downloadFailure != null ? joinedTooLate(exchange, origin, downloadFailure)
                                    : serve(exchange, origin, startAlone(exchange, origin));
                        }
                        return stream(exchange, origin, spooled, ar.result()).andThen(done -> fetch.clientDetached());
                    });
        }
        return Future.failedFuture(new IllegalStateException("unknown fetch head " + head));
    }

    /**
     * A client that found the shared download already failed gets an error status before any head; one that found
     * it abandoned (nobody was reading it) starts a download of its own.
     */
    private Future<Void> joinedTooLate(Exchange exchange, DownloadOrigin origin, Throwable downloadFailure) {
        return downloadFailure instanceof FetchAbandoned
                ? serve(exchange, origin, startAlone(exchange, origin))
                : origin.answerFailure(exchange, downloadFailure);
    }

    private Future<Void> stream(Exchange exchange, DownloadOrigin origin, FetchHead.Spooled spooled,
                                SpoolReader reader) {
        exchange.onClientGone(v -> reader.cancel(new ClientGoneException()));
        ClientHeaders.writeHead(exchange.response(), 200, spooled.headers(), origin.overrides());
        // the head goes out now, not with the first or the last byte (the last one waits for verification)
        exchange.response().writeHead();
        AtomicBoolean allHandedOver = new AtomicBoolean();
        StallWatchdog clientStall = StallWatchdog.start(services.vertx(), services.clientStall(), reader::position,
                () -> allHandedOver.get() || spooled.entry().progress().readableLimit() > reader.position(),
                () -> {
                    logClientStall(exchange, origin);
                    reader.cancel(new ClientStalled());
                    exchange.response().reset();
                });
        // bytes the client is behind on go from the file, zero-copy, as a hit from the hot tier does
        Future<Void> sent = ZeroCopySend.of(exchange).map(send -> reader.sendTo(exchange.response(), send))
                .orElseGet(() -> reader.sendTo(exchange.response())).andThen(ar -> allHandedOver.set(true));
        return ResettingPipe.endOrReset(sent, exchange.response())
                .andThen(ar -> clientStall.cancel())
                .onFailure(err -> {
                    Throwable downloadFailure = spooled.entry().progress().failure();
                    if (downloadFailure != null) {
                        FailureResponder.reset(exchange, origin.injection() + ": download failed, stream reset", downloadFailure);
                    }
                })
                .andThen(ar -> reader.close());
    }

    /** The one client of a download the spool had no room for; its bytes are verified on the way all the same. */
    private Future<Void> passThrough(Exchange exchange, DownloadOrigin origin, FetchHead.PassThrough passThrough) {
        UpstreamResponse upstream = passThrough.response();
        VerifiedPassThrough body = new VerifiedPassThrough(new CappedBody(upstream, origin.maximumSize()),
                ContentLength.of(upstream.headers()), origin.digest());
        exchange.onClientGone(v -> upstream.reset());
        ClientHeaders.writeHead(exchange.response(), 200, passThrough.headers(), origin.overrides());
        AtomicBoolean allHandedOver = new AtomicBoolean();
        StallWatchdog upstreamStall = StallWatchdog.start(services.vertx(), services.upstreamStall(), body::received,
                () -> !body.paused() && !allHandedOver.get(), upstream::reset);
        StallWatchdog clientStall = StallWatchdog.start(services.vertx(), services.clientStall(),
                exchange.response()::bytesWritten, () -> body.paused() || allHandedOver.get(), () -> {
                    logClientStall(exchange, origin);
                    upstream.reset();
                    exchange.response().reset();
                });
        Future<Void> sent = BoundedCopy.copy(body, exchange.response()).andThen(ar -> allHandedOver.set(true));
        return ResettingPipe.endOrReset(sent, exchange.response()).onFailure(err -> {
            upstream.reset();
            if (err instanceof VerificationFailure) {
                services.metrics().verificationFailed();
            }
            FailureResponder.reset(exchange, origin.injection() + ": pass-through stream broke", err);
        }).andThen(ar -> {
            upstreamStall.cancel();
            clientStall.cancel();
            origin.fetched(exchange.response().bytesWritten());
        });
    }

    private void logClientStall(Exchange exchange, DownloadOrigin origin) {
        LOG.atWarn().addKeyValue("request_id", exchange.requestId()).addKeyValue("injection", origin.injection())
                .log("client took no bytes for {} ms: dropping it", services.clientStall().toMillis());
    }

    /**
     * Futures complete on the context that completed them; this client's response must be written on its own. When
     * that is the one completing it (the client is on the fetch's event loop), at once: a task queued behind the
     * loop's reads of the upstream body would hold the client's head back for them.
     */
    private <T> Future<T> onThisContext(Future<T> future) {
        Context here = services.vertx().getOrCreateContext();
        Promise<T> promise = Promise.promise();
        future.onComplete(ar -> {
            if (Vertx.currentContext() == here) {
                promise.handle(ar);
            } else {
                here.runOnContext(v -> promise.handle(ar));
            }
        });
        return promise.future();
    }
}
