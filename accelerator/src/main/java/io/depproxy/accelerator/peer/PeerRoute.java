package io.depproxy.accelerator.peer;

import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.inject.CoalesceKey;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.inject.PeerSource;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InvalidTokenException;
import io.depproxy.contracts.peer.FetchLeases;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The peer listener's only route ({@code GET /-/peer/fetches?key=<coalesce key>}, {@code DP_PEER_PORT}): another
 * replica streams a download this one is running, by its coalesce key, as a local client would join it
 * ({@link PeerSource}). Only calls signed with the internal JWT are served (401 otherwise); 404 when this replica
 * does not have that download (any more, or not within {@link #START_PATIENCE}); nothing else is answered here.
 */
public final class PeerRoute implements Handler<HttpServerRequest> {
    /** How long a peer's request waits for a download this replica was told to start (see {@link #awaitFetch}). */
    static final Duration START_PATIENCE = Duration.ofSeconds(2);
    private final Vertx vertx;
    private final InflightRegistry<CoalesceKey, DependencyFetch> inflight;
    private final InternalJwt jwt;

    public PeerRoute(Vertx vertx, InflightRegistry<CoalesceKey, DependencyFetch> inflight, InternalJwt jwt) {
        this.vertx = vertx;
        this.inflight = inflight;
        this.jwt = jwt;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (!FetchLeases.PEER_FETCH_PATH.equals(request.path())) {
            answer(request, 404);
            return;
        }
        if (request.method() != HttpMethod.GET) {
            answer(request, 405);
            return;
        }
        try {
            jwt.verifyApiRequest(request.getHeader(Headers.API_REQUEST));
        } catch (InvalidTokenException | IllegalArgumentException e) {
            answer(request, 401);
            return;
        }
        String key = request.getParam("key");
        if (key == null) {
            answer(request, 404);
            return;
        }
        request.pause();
        awaitFetch(request, key);
    }

    /**
     * The control plane hands out the lease before the fetching replica has started the download (its answer is on
     * the way to it): a peer that asks in between waits for it, up to {@link #START_PATIENCE} or until it hangs up,
     * rather than being sent back to fetch it a second time; it is served the moment the download starts.
     */
    private void awaitFetch(HttpServerRequest request, String key) {
        Context here = vertx.getOrCreateContext();
        Promise<Void> patience = Promise.promise();
        long timer = vertx.setTimer(START_PATIENCE.toMillis(), id -> patience.tryComplete());
        request.response().closeHandler(v -> patience.tryComplete());
        inflight.await(candidate -> key.equals(candidate.coalesce()), patience.future())
                .onComplete(ar -> here.runOnContext(v -> {
                    vertx.cancelTimer(timer);
                    Optional<DependencyFetch> fetch = ar.result();
                    if (request.response().closed()) {
                        return;
                    }
                    request.resume();
                    if (fetch.isPresent()) {
                        PeerSource.serve(vertx, fetch.get(), request);
                    } else {
                        answer(request, 404);
                    }
                }));
    }

    private static void answer(HttpServerRequest request, int status) {
        request.response().setStatusCode(status).putHeader("Content-Length", "0").end();
    }
}
