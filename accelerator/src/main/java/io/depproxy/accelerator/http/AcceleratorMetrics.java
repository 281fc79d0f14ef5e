package io.depproxy.accelerator.http;

import io.depproxy.contracts.senddata.SendDataCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Counters shared by every verticle instance, written in the Prometheus text format at {@code /-/metrics}. */
public final class AcceleratorMetrics {
    private final Map<String, AtomicLong> responses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> upstreamRequests = new ConcurrentHashMap<>();
    private final AtomicLong uploadFailures = new AtomicLong();
    private final AtomicLong uploadsFinalized = new AtomicLong();
    private final AtomicLong verificationFailures = new AtomicLong();
    private final AtomicLong coalescedRequests = new AtomicLong();
    private final AtomicLong spoolPassThrough = new AtomicLong();
    private final AtomicLong abandonedFetches = new AtomicLong();
    private volatile LongSupplier spoolUsedBytes = () -> 0;
    private volatile LongSupplier inflightFetches = () -> 0;

    public AcceleratorMetrics() {
        for (String injection : new String[] {SendDataCodec.SEND_URL, SendDataCodec.SEND_DEPENDENCY}) {
            responses.put(injection, new AtomicLong());
            bytes.put(injection, new AtomicLong());
        }
    }

    public void gauges(LongSupplier spoolUsedBytes, LongSupplier inflightFetches) {
        this.spoolUsedBytes = spoolUsedBytes;
        this.inflightFetches = inflightFetches;
    }

    public void response(String injection) {
        responses.computeIfAbsent(injection, k -> new AtomicLong()).incrementAndGet();
    }

    public void bytes(String injection, long count) {
        bytes.computeIfAbsent(injection, k -> new AtomicLong()).addAndGet(count);
    }

    /** {@code ok} (2xx), {@code http_error} (any other status) or {@code failed} (no answer). */
    public void upstreamRequest(String outcome) {
        upstreamRequests.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    public void uploadFailed() {
        uploadFailures.incrementAndGet();
    }

    public void uploadFinalized() {
        uploadsFinalized.incrementAndGet();
    }

    public void verificationFailed() {
        verificationFailures.incrementAndGet();
    }

    public void coalesced() {
        coalescedRequests.incrementAndGet();
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
        labelled(out, "accel_senddata_responses_total", "counter", "injection", responses);
        labelled(out, "accel_senddata_bytes_total", "counter", "injection", bytes);
        labelled(out, "accel_upstream_requests_total", "counter", "outcome", upstreamRequests);
        single(out, "accel_upload_failures_total", "counter", uploadFailures.get());
        single(out, "accel_uploads_finalized_total", "counter", uploadsFinalized.get());
        single(out, "accel_verification_failures_total", "counter", verificationFailures.get());
        single(out, "accel_coalesced_requests_total", "counter", coalescedRequests.get());
        single(out, "accel_spool_passthrough_total", "counter", spoolPassThrough.get());
        single(out, "accel_fetches_abandoned_total", "counter", abandonedFetches.get());
        single(out, "accel_spool_used_bytes", "gauge", spoolUsedBytes.getAsLong());
        single(out, "accel_inflight_fetches", "gauge", inflightFetches.getAsLong());
        return out.toString();
    }

    private static void labelled(StringBuilder out, String name, String type, String label, Map<String, AtomicLong> values) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        values.forEach((value, count) -> out.append(name).append('{').append(label).append("=\"").append(value)
                .append("\"} ").append(count.get()).append('\n'));
    }

    private static void single(StringBuilder out, String name, String type, long value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
