package io.depproxy.accelerator;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.edge.BodyBudget;
import io.depproxy.accelerator.edge.ConnectionLimiter;
import io.depproxy.accelerator.hot.HotTier;
import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.inflight.InflightWork;
import io.depproxy.accelerator.inject.CoalesceKey;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.inject.ReadAheadDecisions;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.spool.Spool;
import io.depproxy.accelerator.upstream.OutboundGuard;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The state every verticle instance of one process shares: spool budget, hot tier, in-flight fetches, the work
 * graceful shutdown waits for, counters, and the destination policy of upstream calls, the edge's connections per
 * client address, bytes of request bodies being read and the read-ahead's decisions its clients may take.
 */
public record SharedResources(Spool spool, HotTier hot, InflightRegistry<CoalesceKey, DependencyFetch> inflight,
                              InflightWork work, AcceleratorMetrics metrics, OutboundPolicy outbound,
                              ConnectionLimiter connections, BodyBudget bodyBudget,
                              ReadAheadDecisions readAheadDecisions) {

    /** Blocking (creates and checks directories): call at start-up, off the event loop. */
    public static SharedResources create(Vertx vertx, AcceleratorConfig config) {
        Spool spool = new Spool(config.spoolDir(), config.spoolMaxBytes(), vertx.fileSystem(),
                Spool.RECENT_BYTES_BUDGET);
        HotTier hot;
        try {
            hot = HotTier.open(vertx, config.hotCacheDir(), config.hotCacheMaxBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("hot tier " + config.hotCacheDir() + " cannot be used", e);
        }
        InflightRegistry<CoalesceKey, DependencyFetch> inflight = new InflightRegistry<>(DependencyFetch::completion);
        AcceleratorMetrics metrics = new AcceleratorMetrics();
        InflightWork work = new InflightWork();
        metrics.workGauges(work::streams, work::uploads);
        metrics.gauges(spool::usedBytes, inflight::size);
        metrics.memoryGauges(SharedResources::nettyDirectBytes);
        metrics.hotTierGauges(hot::usedBytes, hot::fileCount, hot::evictions);
        return new SharedResources(spool, hot, inflight, work, metrics, OutboundGuard.policy(config),
                new ConnectionLimiter(config.edge().maxConnectionsPerClient()),
                new BodyBudget(BodyBudget.DEFAULT_CAPACITY), new ReadAheadDecisions());
    }

    /** What Vert.x's sockets allocate from (Netty's default allocator), or -1 when it keeps no count. */
    private static long nettyDirectBytes() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : -1;
    }
}
