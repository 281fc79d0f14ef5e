package io.depproxy.accelerator.metrics;

import io.depproxy.contracts.observability.UpstreamOutcome;
import io.depproxy.contracts.observability.UpstreamRateLimit;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Counters shared by every verticle instance, in a Micrometer Prometheus registry scraped at {@code /-/metrics}.
 * Names mirror Workhorse's; every label value comes from a fixed set (routes are {@code RouteTemplate}s, never
 * paths). Every meter is registered once and kept, so counting on the hot path builds no tags.
 */
public final class AcceleratorMetrics {
    /** A new connection beyond {@code DP_MAX_CONNECTIONS_PER_CLIENT} from one address, closed at once. */
    public static final String REFUSED_CONNECTION_LIMIT = "connection_limit";
    /** A connection that sent no complete request within {@code DP_HEADER_TIMEOUT} of opening, closed. */
    public static final String REFUSED_HEADER_TIMEOUT = "header_timeout";
    /** A forwarded body not complete within {@code DP_REQUEST_BODY_TIMEOUT}: 408, connection closed. */
    public static final String REFUSED_BODY_TIMEOUT = "body_timeout";
    /** A forwarded body refused because the bodies being read already hold the whole budget: 503. */
    public static final String REFUSED_BODY_BUDGET = "body_budget";
    /** A forwarded request refused because the control-plane wait queue was full: 503. */
    public static final String REFUSED_QUEUE_FULL = "queue_full";

    /** From 5 ms (a loopback hit) to 2 min (an upstream that takes its time before the first byte). */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    /** The outcomes of {@code accel_read_ahead_blobs_total}. */
    public static final String[] READ_AHEAD_OUTCOMES = {"fetched", "cached", "peer", "refused", "failed"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestCounters httpRequests = new RequestCounters(registry);
    private final CounterFamily responses = new CounterFamily(registry, "accel_senddata_responses_total",
            "Responses answered by an injection (send-url: a cache hit, send-dependency: a miss)", "injection",
            SendDataCodec.SEND_URL, SendDataCodec.SEND_DEPENDENCY);
    private final CounterFamily bytes = new CounterFamily(registry, "accel_senddata_bytes_total",
            "Body bytes sent to clients by an injection", "injection",
            SendDataCodec.SEND_URL, SendDataCodec.SEND_DEPENDENCY);
    private final UpstreamMeters upstreams = new UpstreamMeters(registry, LATENCY_BUCKETS);
    private final CounterFamily hotTierLookups = new CounterFamily(registry, "accel_hot_tier_lookups_total",
            "Hits with a digest looked up in the hot tier", "result", "hit", "miss", "stale");
    private final CounterFamily edgeRefusals = new CounterFamily(registry, "accel_edge_refusals_total",
            "Clients cut off by an edge limit (slow headers or body, too many connections, full queues)", "reason",
            REFUSED_CONNECTION_LIMIT, REFUSED_HEADER_TIMEOUT, REFUSED_BODY_TIMEOUT, REFUSED_BODY_BUDGET,
            REFUSED_QUEUE_FULL);
    private final CounterFamily readAheads = new CounterFamily(registry, "accel_read_ahead_blobs_total",
            "Blobs of a downloaded image manifest asked for ahead of its client: fetched (downloading here), "
                    + "cached, peer (another replica fetches it), refused, failed",
            "outcome", READ_AHEAD_OUTCOMES);
    private final Counter readAheadTaken = counter("accel_read_ahead_taken_total",
            "Client blob GETs that took the download their read-ahead started on its decision (no control-plane call)");
    private final Timer finalizeLatency = latency("accel_finalize_latency_seconds",
            "Time the control plane took to answer a finalize");
    private final Counter bytesFromCache = counter("accel_bytes_served_from_cache_total",
            "Bytes clients got from object storage or the hot tier");
    private final Counter bytesFromUpstream = counter("accel_bytes_fetched_upstream_total",
            "Bytes read from upstream registries");
    private final Counter uploadFailures = counter("accel_upload_failures_total",
            "Downloads that could not be stored");
    private final Counter uploadsFinalized = counter("accel_uploads_finalized_total",
            "Downloads stored and finalized");
    private final Counter verificationFailures = counter("accel_verification_failures_total",
            "Downloads whose digest or length did not match");
    private final Counter coalescedWaiters = counter("accel_coalesced_waiters_total",
            "Misses that joined a download already running");
    private final Counter spoolPassThrough = counter("accel_spool_passthrough_total",
            "Misses relayed without being stored (spool full)");
    private final Counter abandonedFetches = counter("accel_fetches_abandoned_total",
            "Downloads given up, no client left and not stored within the upload grace period");
    private volatile LongSupplier activeStreams = () -> 0;
    private volatile LongSupplier uploadsInProgress = () -> 0;
    private volatile LongSupplier spoolUsedBytes = () -> 0;
    private volatile LongSupplier inflightFetches = () -> 0;
    private volatile LongSupplier nettyDirectBytes = () -> 0;
    private volatile LongSupplier hotUsedBytes = () -> 0;
    private volatile LongSupplier hotFiles = () -> 0;
    private volatile LongSupplier hotEvictions = () -> 0;

    public AcceleratorMetrics() {
        gauge("accel_active_streams", "Client requests being proxied or streamed", () -> activeStreams.getAsLong());
        gauge("accel_uploads_in_progress", "Downloads being stored or finalized",
                () -> uploadsInProgress.getAsLong());
        gauge("accel_spool_used_bytes", "Spool bytes reserved", () -> spoolUsedBytes.getAsLong());
        gauge("accel_inflight_fetches", "Upstream downloads running", () -> inflightFetches.getAsLong());
        gauge("accel_hot_tier_used_bytes", "Bytes in the hot tier", () -> hotUsedBytes.getAsLong());
        gauge("accel_hot_tier_files", "Files in the hot tier", () -> hotFiles.getAsLong());
        FunctionCounter.builder("accel_hot_tier_evictions_total", this, metrics -> metrics.hotEvictions.getAsLong())
                .description("Files evicted from the hot tier").register(registry);
        Gauge.builder("accel_direct_memory_bytes", () -> nettyDirectBytes.getAsLong())
                .description("Direct memory held by Netty's shared allocator (-1: not counted)").tag("pool", "netty")
                .register(registry);
    }

    /** The registry {@code /-/metrics} scrapes. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void gauges(LongSupplier spoolUsedBytes, LongSupplier inflightFetches) {
        this.spoolUsedBytes = spoolUsedBytes;
        this.inflightFetches = inflightFetches;
    }

    /**
     * The work in flight ({@code InflightWork}): these gauges only read it, so what shutdown waits for does not
     * depend on any metric.
     */
    public void workGauges(LongSupplier activeStreams, LongSupplier uploadsInProgress) {
        this.activeStreams = activeStreams;
        this.uploadsInProgress = uploadsInProgress;
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
        hotTierLookups.of(result).increment();
    }

    /** A client's blob GET served on its read-ahead's decision, without a control-plane round trip. */
    public void readAheadTaken() {
        readAheadTaken.increment();
    }

    /** A blob the read-ahead asked the control plane for; {@code outcome} is one of {@link #READ_AHEAD_OUTCOMES}. */
    public void readAhead(String outcome) {
        readAheads.of(outcome).increment();
    }

    /** A client cut off by an edge limit; {@code reason} is one of the {@code REFUSED_*} values. */
    public void edgeRefusal(String reason) {
        edgeRefusals.of(reason).increment();
    }

    public void response(String injection) {
        responses.of(injection).increment();
    }

    public void bytes(String injection, long count) {
        bytes.of(injection).increment(count);
    }

    /** Bytes a client got from object storage (send-url): the cache doing its job. */
    public void bytesServedFromCache(long count) {
        bytesFromCache.increment(count);
    }

    /**
     * Bytes read from the upstream called {@code upstream} (send-dependency), whether or not they end up stored: in
     * the instance's total and the upstream's own.
     */
    public void bytesFetchedUpstream(String upstream, long count) {
        bytesFromUpstream.increment(count);
        upstreams.of(upstream).bytes(count);
    }

    /** A call to the upstream called {@code upstream}; {@code outcome} is one of {@link UpstreamOutcome#ALL}. */
    public void upstreamRequest(String upstream, String outcome, Duration untilResponseHead) {
        upstreams.of(upstream).request(outcome, untilResponseHead);
    }

    /** The upstream's rate-limit headers, when an answer carried them ({@link UpstreamRateLimit}); null: absent. */
    public void upstreamRateLimit(String upstream, String limitHeader, String remainingHeader) {
        OptionalLong limit = UpstreamRateLimit.count(limitHeader);
        OptionalLong remaining = UpstreamRateLimit.count(remainingHeader);
        if (limit.isPresent() || remaining.isPresent()) {
            upstreams.of(upstream).rateLimit(limit.orElse(-1), remaining.orElse(-1));
        }
    }

    /** One client request that ended (or whose client went away), by route template and status code. */
    public void httpRequest(String route, int status) {
        httpRequests.count(route, status);
    }

    public void uploadFailed() {
        uploadFailures.increment();
    }

    public void uploadFinalized() {
        uploadsFinalized.increment();
    }

    /** How long the control plane took to answer a finalize, whatever it answered. */
    public void finalizeCall(Duration duration) {
        finalizeLatency.record(duration);
    }

    public void verificationFailed() {
        verificationFailures.increment();
    }

    public void coalesced() {
        coalescedWaiters.increment();
    }

    public void spoolPassThrough() {
        spoolPassThrough.increment();
    }

    public void fetchAbandoned() {
        abandonedFetches.increment();
    }

    public long uploadFailures() {
        return (long) uploadFailures.count();
    }

    /** Every series in the Prometheus text format, as {@code /-/metrics} answers it. */
    public String render() {
        return registry.scrape();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value::getAsLong).description(description).register(registry);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }
}
