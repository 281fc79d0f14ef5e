package io.depproxy.accelerator.http;

import io.depproxy.contracts.senddata.SendDataCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counters shared by every verticle instance, written in the Prometheus text format at {@code /-/metrics}. Names
 * mirror Workhorse's; every label value comes from a fixed set (routes are {@code RouteTemplate}s, never paths).
 */
public final class AcceleratorMetrics {
    private final Map<String, AtomicLong> responses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> upstreamRequests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> httpRequests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> hotTierLookups = new ConcurrentHashMap<>();
    private final AtomicLong uploadFailures = new AtomicLong();
    private final AtomicLong uploadsFinalized = new AtomicLong();
    private final AtomicLong verificationFailures = new AtomicLong();
    private final AtomicLong coalescedWaiters = new AtomicLong();
    private final AtomicLong spoolPassThrough = new AtomicLong();
    private final AtomicLong abandonedFetches = new AtomicLong();
    private final AtomicLong bytesFromCache = new AtomicLong();
    private final AtomicLong bytesFromUpstream = new AtomicLong();
    private final AtomicLong activeStreams = new AtomicLong();
    private final AtomicLong uploadsInProgress = new AtomicLong();
    private final Histogram upstreamLatency = new Histogram("accel_upstream_latency_seconds",
            Histogram.LATENCY_BUCKETS);
    private final Histogram finalizeLatency = new Histogram("accel_finalize_latency_seconds",
            Histogram.LATENCY_BUCKETS);
    private volatile LongSupplier spoolUsedBytes = () -> 0;
    private volatile LongSupplier inflightFetches = () -> 0;
    private volatile LongSupplier nettyDirectBytes = () -> 0;
    private volatile LongSupplier hotUsedBytes = () -> 0;
    private volatile LongSupplier hotFiles = () -> 0;
    private volatile LongSupplier hotEvictions = () -> 0;

    public AcceleratorMetrics() {
        for (String result : new String[] {"hit", "miss", "stale"}) {
            hotTierLookups.put(labels("result", result), new AtomicLong());
        }
        for (String injection : new String[] {SendDataCodec.SEND_URL, SendDataCodec.SEND_DEPENDENCY}) {
            responses.put(labels("injection", injection), new AtomicLong());
            bytes.put(labels("injection", injection), new AtomicLong());
        }
    }

    public void gauges(LongSupplier spoolUsedBytes, LongSupplier inflightFetches) {
        this.spoolUsedBytes = spoolUsedBytes;
        this.inflightFetches = inflightFetches;
    }

    /** Direct memory held by Netty's shared allocator (socket buffers). */
    public void memoryGauges(LongSupplier nettyDirectBytes) {
        this.nettyDirectBytes = nettyDirectBytes;
    }

    /** The hot tier's size, file count and evictions. */
    public void hotTierGauges(LongSupplier usedBytes, LongSupplier files, LongSupplier evictions) {
        this.hotUsedBytes = usedBytes;
        this.hotFiles = files;
        this.hotEvictions = evictions;
    }

    /** A send-url with a digest looked in the hot tier: {@code hit}, {@code miss}, or {@code stale} (failed a check). */
    public void hotTier(String result) {
        hotTierLookups.computeIfAbsent(labels("result", result), k -> new AtomicLong()).incrementAndGet();
    }

    public void response(String injection) {
        responses.computeIfAbsent(labels("injection", injection), k -> new AtomicLong()).incrementAndGet();
    }

    public void bytes(String injection, long count) {
        bytes.computeIfAbsent(labels("injection", injection), k -> new AtomicLong()).addAndGet(count);
    }

    /** Bytes a client got from object storage (send-url): the cache doing its job. */
    public void bytesServedFromCache(long count) {
        bytesFromCache.addAndGet(count);
    }

    /** Bytes read from an upstream registry (send-dependency), whether or not they end up stored. */
    public void bytesFetchedUpstream(long count) {
        bytesFromUpstream.addAndGet(count);
    }

    /** {@code ok} (2xx), {@code http_error} (any other status) or {@code failed} (no answer). */
    public void upstreamRequest(String outcome, Duration untilResponseHead) {
        upstreamRequests.computeIfAbsent(labels("outcome", outcome), k -> new AtomicLong()).incrementAndGet();
        upstreamLatency.observe(untilResponseHead);
    }

    /** One client request that ended (or whose client went away), by route template and status code. */
    public void httpRequest(String route, int status) {
        httpRequests.computeIfAbsent(labels("route", route, "status", Integer.toString(status)), k -> new AtomicLong())
                .incrementAndGet();
    }

    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    public void streamEnded() {
        activeStreams.decrementAndGet();
    }

    /** Client requests being proxied or streamed right now (the accelerator's own {@code /-/} routes excepted). */
    public long activeStreams() {
        return activeStreams.get();
    }

    public void uploadStarted() {
        uploadsInProgress.incrementAndGet();
    }

    public void uploadEnded() {
        uploadsInProgress.decrementAndGet();
    }

    /** Downloads being copied to object storage or finalized; shutdown waits for them after the streams. */
    public long uploadsInProgress() {
        return uploadsInProgress.get();
    }

    public void uploadFailed() {
        uploadFailures.incrementAndGet();
    }

    public void uploadFinalized() {
        uploadsFinalized.incrementAndGet();
    }

    /** How long the control plane took to answer a finalize, whatever it answered. */
    public void finalizeCall(Duration duration) {
        finalizeLatency.observe(duration);
    }

    public void verificationFailed() {
        verificationFailures.incrementAndGet();
    }

    public void coalesced() {
        coalescedWaiters.incrementAndGet();
    }

    public void spoolPassThrough() {
        spoolPassThrough.incrementAndGet();
    }

    public void fetchAbandoned() {
        abandonedFetches.incrementAndGet();
    }

    public long uploadFailures() {
        return uploadFailures.get();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        labelled(out, "accel_http_requests_total", httpRequests);
        labelled(out, "accel_senddata_responses_total", responses);
        labelled(out, "accel_senddata_bytes_total", bytes);
        labelled(out, "accel_upstream_requests_total", upstreamRequests);
        labelled(out, "accel_hot_tier_lookups_total", hotTierLookups);
        upstreamLatency.render(out);
        finalizeLatency.render(out);
        single(out, "accel_bytes_served_from_cache_total", "counter", bytesFromCache.get());
        single(out, "accel_bytes_fetched_upstream_total", "counter", bytesFromUpstream.get());
        single(out, "accel_upload_failures_total", "counter", uploadFailures.get());
        single(out, "accel_uploads_finalized_total", "counter", uploadsFinalized.get());
        single(out, "accel_verification_failures_total", "counter", verificationFailures.get());
        single(out, "accel_coalesced_waiters_total", "counter", coalescedWaiters.get());
        single(out, "accel_spool_passthrough_total", "counter", spoolPassThrough.get());
        single(out, "accel_fetches_abandoned_total", "counter", abandonedFetches.get());
        single(out, "accel_active_streams", "gauge", activeStreams.get());
        single(out, "accel_uploads_in_progress", "gauge", uploadsInProgress.get());
        single(out, "accel_spool_used_bytes", "gauge", spoolUsedBytes.getAsLong());
        single(out, "accel_inflight_fetches", "gauge", inflightFetches.getAsLong());
        single(out, "accel_hot_tier_used_bytes", "gauge", hotUsedBytes.getAsLong());
        single(out, "accel_hot_tier_files", "gauge", hotFiles.getAsLong());
        single(out, "accel_hot_tier_evictions_total", "counter", hotEvictions.getAsLong());
        out.append("# TYPE accel_direct_memory_bytes gauge\n")
                .append("accel_direct_memory_bytes{pool=\"netty\"} ").append(nettyDirectBytes.getAsLong()).append('\n');
        return out.toString();
    }

    /** Label values here are route templates, injection names, outcomes and status codes: nothing to escape. */
    private static String labels(String... namesAndValues) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.append(i == 0 ? "" : ",").append(namesAndValues[i]).append("=\"").append(namesAndValues[i + 1])
                    .append('"');
        }
        return labels.toString();
    }

    private static void labelled(StringBuilder out, String name, Map<String, AtomicLong> values) {
        out.append("# TYPE ").append(name).append(" counter\n");
        values.forEach((labels, count) -> out.append(name).append('{').append(labels).append("} ")
                .append(count.get()).append('\n'));
    }

    private static void single(StringBuilder out, String name, String type, long value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
