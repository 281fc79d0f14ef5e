package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.stream.BoundedCopy;
import io.depproxy.accelerator.stream.CapExceeded;
import io.depproxy.accelerator.stream.CappedBody;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.StallWatchdog;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.depproxy.accelerator.upstream.UpstreamFailure;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * send-dependency: serves a client from the shared fetch for its {@link CoalesceKey} (starting it when there is
 * none), so concurrent identical misses cost one upstream GET; a request never joins a fetch of another URL or
 * another expected digest. Upstream errors reach every waiter in the registry's own terms (never the upstream's
 * body); a failed download resets every waiter's stream, and a client that arrives once it has
 * failed gets an error status. A client that takes none of the bytes there for it for the client stall timeout is
 * dropped without holding the download back.
 */
public final class SendDependencyInjector implements Injector<SendDependency> {
    private static final Logger LOG = LoggerFactory.getLogger(SendDependencyInjector.class);
    private final InflightRegistry<CoalesceKey, DependencyFetch> inflight;
    private final DependencyFetch.Services services;

    public SendDependencyInjector(InflightRegistry<CoalesceKey, DependencyFetch> inflight, DependencyFetch.Services services) {
        this.inflight = inflight;
        this.services = services;
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_DEPENDENCY;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendDependency dependency) {
        return serve(exchange, dependency, joinOrStart(exchange, dependency));
    }

    private DependencyFetch joinOrStart(Exchange exchange, SendDependency dependency) {
        Optional<CoalesceKey> key = CoalesceKey.of(dependency);
        if (key.isEmpty()) {
            return startAlone(exchange, dependency);
        }
        InflightRegistry.Joined<DependencyFetch> joined = inflight.join(key.get(),
                () -> new DependencyFetch(services, dependency, exchange.requestId()));
        if (joined.leader()) {
            joined.value().start();
        } else {
            services.metrics().coalesced();
        }
        return joined.value();
    }

    private DependencyFetch startAlone(Exchange exchange, SendDependency dependency) {
        DependencyFetch fetch = new DependencyFetch(services, dependency, exchange.requestId());
        fetch.start();
        return fetch;
    }

    private Future<Void> serve(Exchange exchange, SendDependency dependency, DependencyFetch fetch) {
        return onThisContext(fetch.head()).transform(ar -> ar.succeeded()
                ? serveHead(exchange, dependency, fetch, ar.result())
                : fetchFailed(exchange, ar.cause()));
    }

    private Future<Void> serveHead(Exchange exchange, SendDependency dependency, DependencyFetch fetch, FetchHead head) {
        if (head instanceof FetchHead.UpstreamError error) {
            return relayError(exchange, error);
        }
        if (head instanceof FetchHead.PassThrough passThrough) {
            // the upstream answer belongs to the fetch's event loop: only a client on that loop may take it
            boolean taken = fetch.onCurrentContext() && passThrough.claim();
            return taken ? passThrough(exchange, dependency, passThrough)
                    : serve(exchange, dependency, startAlone(exchange, dependency));
        }
        if (head instanceof FetchHead.Spooled spooled) {
            if (spooled.entry().progress().failure() != null) {
                return joinedTooLate(exchange, dependency, spooled.entry().progress().failure());
            }
            fetch.clientAttached();
            // the head goes out as soon as the upstream answered: a download that fails before its first byte resets
            // the stream as a truncated upstream does (waiting for the first byte on disk cost a miss two worker hops)
            return SpoolReader.open(services.vertx(), spooled.entry(), 0, SpoolReader.TO_THE_END)
                    .transform(ar -> {
                        Throwable downloadFailure = spooled.entry().progress().failure();
                        if (ar.failed() || downloadFailure != null) {
                            if (ar.succeeded()) {
                                ar.result().close();
                            }
                            fetch.clientDetached();
                            // gone because it failed: this client shares that outcome; gone because stored: fetch again
                            return downloadFailure != null ? joinedTooLate(exchange, dependency, downloadFailure)
                                    : serve(exchange, dependency, startAlone(exchange, dependency));
                        }
                        return stream(exchange, dependency, spooled, ar.result()).andThen(done -> fetch.clientDetached());
                    });
        }
        return Future.failedFuture(new IllegalStateException("unknown fetch head " + head));
    }

    /**
     * A client that found the shared download already failed gets an error status before any head; one that found
     * it abandoned (nobody was reading it) starts a download of its own.
     */
    private Future<Void> joinedTooLate(Exchange exchange, SendDependency dependency, Throwable downloadFailure) {
        return downloadFailure instanceof FetchAbandoned
                ? serve(exchange, dependency, startAlone(exchange, dependency))
                : fetchFailed(exchange, downloadFailure);
    }

    private Future<Void> stream(Exchange exchange, SendDependency dependency, FetchHead.Spooled spooled,
                                SpoolReader reader) {
        exchange.onClientGone(v -> reader.cancel(new ClientGoneException()));
        ClientHeaders.writeHead(exchange.response(), 200, spooled.headers(), MissHeaders.overrides(dependency));
        // the head goes out now, not with the first or the last byte (the last one waits for verification)
        exchange.response().writeHead();
        AtomicBoolean allHandedOver = new AtomicBoolean();
        StallWatchdog clientStall = StallWatchdog.start(services.vertx(), services.clientStall(), reader::position,
                () -> allHandedOver.get() || spooled.entry().progress().readableLimit() > reader.position(),
                () -> {
                    logClientStall(exchange);
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
                        FailureResponder.reset(exchange, "send-dependency: download failed, stream reset", downloadFailure);
                    }
                })
                .andThen(ar -> reader.close());
    }

    /** The one client of a download the spool had no room for; its bytes are verified on the way all the same. */
    private Future<Void> passThrough(Exchange exchange, SendDependency dependency, FetchHead.PassThrough passThrough) {
        UpstreamResponse upstream = passThrough.response();
        VerifiedPassThrough body = new VerifiedPassThrough(new CappedBody(upstream, dependency.maximumSize()),
                ContentLength.of(upstream.headers()), dependency.digest());
        exchange.onClientGone(v -> upstream.reset());
        ClientHeaders.writeHead(exchange.response(), 200, passThrough.headers(), MissHeaders.overrides(dependency));
        AtomicBoolean allHandedOver = new AtomicBoolean();
        StallWatchdog upstreamStall = StallWatchdog.start(services.vertx(), services.upstreamStall(), body::received,
                () -> !body.paused() && !allHandedOver.get(), upstream::reset);
        StallWatchdog clientStall = StallWatchdog.start(services.vertx(), services.clientStall(),
                exchange.response()::bytesWritten, () -> body.paused() || allHandedOver.get(), () -> {
                    logClientStall(exchange);
                    upstream.reset();
                    exchange.response().reset();
                });
        Future<Void> sent = BoundedCopy.copy(body, exchange.response()).andThen(ar -> allHandedOver.set(true));
        return ResettingPipe.endOrReset(sent, exchange.response()).onFailure(err -> {
            upstream.reset();
            if (err instanceof VerificationFailure) {
                services.metrics().verificationFailed();
            }
            FailureResponder.reset(exchange, "send-dependency: pass-through stream broke", err);
        }).andThen(ar -> {
            upstreamStall.cancel();
            clientStall.cancel();
            services.metrics().bytesFetchedUpstream(dependency.upstreamLabel(),
                    exchange.response().bytesWritten());
        });
    }

    private void logClientStall(Exchange exchange) {
        LOG.atWarn().addKeyValue("request_id", exchange.requestId()).addKeyValue("injection", "send-dependency")
                .log("client took no bytes for {} ms: dropping it", services.clientStall().toMillis());
    }

    /**
     * An upstream error before any body, answered in our own words: the upstream's body is never relayed (it may
     * name internal hosts, or be a page a browser would render); it goes to the log with the request id. 429 stays
     * 429 with its Retry-After; a 5xx is the upstream's outage, not ours: 503 (with Retry-After) when it said so, 502
     * otherwise; a 401 or 403 refused our credentials, so the client gets 404 NAME_UNKNOWN, as the control plane
     * answers it. Other statuses are kept, with the upstream's error code when it is one a registry client knows.
     */
    private static Future<Void> relayError(Exchange exchange, FetchHead.UpstreamError error) {
        int status = error.status();
        UpstreamErrorText detail = new UpstreamErrorText(error);
        if (status == 429 || status >= 500) {
            if (error.retryAfter() != null && (status == 429 || status == 503)) {
                exchange.response().putHeader("Retry-After", error.retryAfter());
            }
            int relayed = status == 429 || status == 503 ? status : 502;
            FailureResponder.respond(exchange, relayed, status == 429 ? RegistryErrorCode.TOOMANYREQUESTS
                    : RegistryErrorCode.UNAVAILABLE, "the upstream registry answered " + status, detail);
        } else if (status == 401 || status == 403) {
            // the upstream refused the proxy's credentials, not the client's: never our login challenge (a loop)
            FailureResponder.respond(exchange, 404, RegistryErrorCode.NAME_UNKNOWN, "the upstream refused access: the "
                    + "repository does not exist or needs credentials", detail);
        } else {
            FailureResponder.respond(exchange, status, detail.code().orElse(RegistryErrorCode.forStatus(status)),
                    "the upstream registry answered " + status, detail);
        }
        return Future.succeededFuture();
    }

    /** A download that failed before this client's head: what kind of failure, never its text (that is logged). */
    private static Future<Void> fetchFailed(Exchange exchange, Throwable cause) {
        if (cause instanceof CapExceeded) {
            FailureResponder.respond(exchange, 502, RegistryErrorCode.SIZE_INVALID,
                    "the upstream registry's answer is larger than the size limit", cause);
            return Future.succeededFuture();
        }
        int status = UpstreamFailure.statusFor(cause);
        FailureResponder.respond(exchange, status, RegistryErrorCode.UNAVAILABLE, UpstreamFailure.messageFor(cause),
                cause);
        return Future.succeededFuture();
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
