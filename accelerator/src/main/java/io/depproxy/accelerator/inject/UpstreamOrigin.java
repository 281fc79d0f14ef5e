package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.stream.CapExceeded;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.upload.UploadSession;
import io.depproxy.accelerator.upstream.UpstreamClient;
import io.depproxy.accelerator.upstream.UpstreamFailure;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * send-dependency's origin: the upstream registry the control plane chose (every hop through the destination policy,
 * {@link UpstreamClient}), the verified download then stored through the upload session. Upstream errors reach the
 * client in the registry's own terms, never with the upstream's body.
 */
final class UpstreamOrigin implements DownloadOrigin {
    private final SendDependency dependency;
    private final UpstreamClient upstream;
    private final UploadSession uploads;
    private final AcceleratorMetrics metrics;
    /** Where the verified body goes when the control plane decided a manifest type; null: nowhere. */
    private final Consumer<Buffer> manifests;

    UpstreamOrigin(SendDependency dependency, UpstreamClient upstream, UploadSession uploads,
                   AcceleratorMetrics metrics, Consumer<Buffer> manifests) {
        this.dependency = dependency;
        this.upstream = upstream;
        this.uploads = uploads;
        this.metrics = metrics;
        this.manifests = manifests != null && MissHeaders.decidesManifest(dependency) ? manifests : null;
    }

    @Override
    public String injection() {
        return SendDataCodec.SEND_DEPENDENCY;
    }

    @Override
    public Optional<CoalesceKey> coalesceKey() {
        return CoalesceKey.of(dependency);
    }

    @Override
    public String url() {
        return dependency.url();
    }

    @Override
    public String digest() {
        return dependency.digest();
    }

    @Override
    public Long maximumSize() {
        return dependency.maximumSize();
    }

    @Override
    public Future<UpstreamResponse> get(String requestId) {
        return upstream.get(dependency.upstreamLabel(), dependency.url(), dependency.headers(), requestId);
    }

    @Override
    public MissHeaders clientHead(MultiMap answerHeaders) {
        return MissHeaders.of(answerHeaders, dependency);
    }

    @Override
    public HeaderMap overrides() {
        return MissHeaders.overrides(dependency);
    }

    @Override
    public Future<Void> store(Context context, SpoolEntry entry, MultiMap answerHeaders, String requestId,
                              Supplier<ReadAheadOutcome> readAhead) {
        return uploads.store(context, new UploadSession.Job(dependency, entry, answerHeaders, requestId,
                readAhead));
    }

    @Override
    public boolean observesManifest() {
        return manifests != null;
    }

    @Override
    public void manifestVerified(Buffer manifest) {
        if (manifests != null) {
            manifests.accept(manifest);
        }
    }

    @Override
    public void fetched(long bytes) {
        metrics.bytesFetchedUpstream(dependency.upstreamLabel(), bytes);
    }

    /**
     * An upstream error before any body, answered in our own words: the upstream's body is never relayed (it may
     * name internal hosts, or be a page a browser would render); it goes to the log with the request id. 429 stays
     * 429 with its Retry-After; a 5xx is the upstream's outage, not ours: 503 (with Retry-After) when it said so, 502
     * otherwise; a 401 or 403 refused our credentials, so the client gets 404 NAME_UNKNOWN, as the control plane
     * answers it. Other statuses are kept, with the upstream's error code when it is one a registry client knows.
     */
    @Override
    public Future<Void> answerRefusal(Exchange exchange, FetchHead.UpstreamError error) {
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
    @Override
    public Future<Void> answerFailure(Exchange exchange, Throwable cause) {
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
}
