package io.depproxy.accelerator.peer;

import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.inject.CoalesceKey;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.peer.FetchLeases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's fetch leases alive: every {@link #PERIOD} it tells the control plane which coalesce keys it is
 * still downloading (or has just finished, still joinable); a lease it no longer names ends there, and a replica that
 * dies stops renewing its leases, which then run out (the control plane's 15 s), so the next miss fetches anew.
 * Best effort: a failed heartbeat is logged and the next one tries again.
 */
public final class PeerHeartbeat {
    /** A third of the control plane's lease time: two heartbeats may be lost before a lease runs out. */
    public static final Duration PERIOD = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PeerHeartbeat.class);

    private final Vertx vertx;
    private final InflightRegistry<CoalesceKey, DependencyFetch> inflight;
    private final InternalRequests internal;
    private final String advertiseUrl;
    private long timer = -1;

    public PeerHeartbeat(Vertx vertx, InflightRegistry<CoalesceKey, DependencyFetch> inflight,
                         InternalRequests internal, String advertiseUrl) {
        this.vertx = vertx;
        this.inflight = inflight;
        this.internal = internal;
        this.advertiseUrl = advertiseUrl;
    }

    public void start() {
        timer = vertx.setPeriodic(PERIOD.toMillis(), id -> beat());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void beat() {
        List<String> keys = inflight.keys().stream().map(CoalesceKey::coalesce).distinct().toList();
        internal.build(HttpMethod.POST, FetchLeases.HEARTBEAT_PATH, "peer-heartbeat", PERIOD)
                .putHeader("Content-Type", "application/json")
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(ContractJson.write(new FetchLeases.Heartbeat(advertiseUrl, keys))))
                .onSuccess(response -> {
                    if (response.statusCode() != 204) {
                        LOG.warn("fetch-lease heartbeat answered {}", response.statusCode());
                    }
                })
                .onFailure(err -> LOG.warn("fetch-lease heartbeat failed: {}", err.getMessage()));
    }
}
