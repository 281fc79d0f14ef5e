package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a shared download ({@link DependencyFetch}) takes its bytes from, and what becomes of them: the upstream
 * registry, stored afterwards (send-dependency, {@link UpstreamOrigin}), or another replica's running download of
 * it, not stored here (send-peer, {@link PeerOrigin}). Either way the download is one GET however many clients of
 * this replica ask, spooled, checked against the digest, kept in the hot tier, and its clients served from the
 * spool ({@link SpooledClients}); only the source, the store and the answers before any body differ.
 */
interface DownloadOrigin {

    /** The injection's name, for logs. */
    String injection();

    /** The key concurrent identical requests share this download under; empty: a download of its own. */
    Optional<CoalesceKey> coalesceKey();

    /** The URL fetched (for logs, masked there). */
    String url();

    /** The sha256 the bytes must hash to ({@code sha256:<hex>}), or null when only the length is checked. */
    String digest();

    /** The most bytes the origin may send, or null for no cap. */
    Long maximumSize();

    default boolean exceedsMaximumSize(long bytes) {
        Long cap = maximumSize();
        return cap != null && bytes > cap;
    }

    /** The GET, answered paused. */
    Future<UpstreamResponse> get(String requestId);

    /** The head the clients get for a 2xx answer with these (selected) headers. */
    MissHeaders clientHead(MultiMap answerHeaders);

    /** Headers every client gets on top of {@link #clientHead} (the control plane's, but the type). */
    HeaderMap overrides();

    /**
     * Stores the verified download, or nothing; completes (never fails) once that is over. {@code readAhead}, asked
     * once when the store is finalized: who took a download the read-ahead started (the control plane counts the
     * pull's miss by it).
     */
    Future<Void> store(Context context, SpoolEntry entry, MultiMap answerHeaders, String requestId,
                       Supplier<ReadAheadOutcome> readAhead);

    /** Whether {@link #manifestVerified} wants the verified body (only a manifest's, read back from the spool). */
    default boolean observesManifest() {
        return false;
    }

    /** The verified manifest this origin downloaded, when {@link #observesManifest()}. */
    default void manifestVerified(Buffer manifest) {
    }

    /** Counts the bytes that came from this origin. */
    void fetched(long bytes);

    /** Answers a client when the origin answered a non-2xx status before any body. */
    Future<Void> answerRefusal(Exchange exchange, FetchHead.UpstreamError error);

    /** Answers a client when the download failed before this client's head. */
    Future<Void> answerFailure(Exchange exchange, Throwable cause);
}
