package io.depproxy.accelerator;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.http.AcceleratorMetrics;
import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.stream.spool.Spool;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.Vertx;

/** The state every verticle instance of one process shares: spool budget, in-flight fetches, counters. */
public record SharedResources(Spool spool, InflightRegistry<String, DependencyFetch> inflight,
                              AcceleratorMetrics metrics) {

    public static SharedResources create(Vertx vertx, AcceleratorConfig config) {
        Spool spool = new Spool(config.spoolDir(), config.spoolMaxBytes(), vertx.fileSystem());
        InflightRegistry<String, DependencyFetch> inflight = new InflightRegistry<>(DependencyFetch::completion);
        AcceleratorMetrics metrics = new AcceleratorMetrics();
        metrics.gauges(spool::usedBytes, inflight::size);
        metrics.memoryGauges(SharedResources::nettyDirectBytes, spool::bufferBytes);
        return new SharedResources(spool, inflight, metrics);
    }

    /** What Vert.x's sockets allocate from (Netty's default allocator), or -1 when it keeps no count. */
    private static long nettyDirectBytes() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : -1;
    }
}
