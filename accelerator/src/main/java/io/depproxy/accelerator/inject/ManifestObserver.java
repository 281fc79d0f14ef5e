package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Told of each manifest a send-dependency downloaded from the upstream and verified, with the exchange of the client
 * that asked for it and a way to start downloads nobody waits for yet (the blob read-ahead lives above this package
 * and is handed in through this interface).
 */
@FunctionalInterface
public interface ManifestObserver {
    /** Observes nothing. */
    ManifestObserver NONE = (exchange, manifest, fetches) -> {
    };

    /** Runs on the download's event loop; must not block. */
    void verified(Exchange exchange, Buffer manifest, DetachedFetches fetches);

    /** Downloads started without a client: later clients of the same coalesce key join them. */
    @FunctionalInterface
    interface DetachedFetches {
        /**
         * Starts the download {@code dependency} describes, unless one of its coalesce key is running already (or it
         * has no coalesce key: then nobody could join it, and nothing is started). Completes once at most
         * {@code tailBytes} of this download, or of the one of its key that was running already, are still to
         * arrive, or it ended, verified or not (one of unknown length: once it ended); at once when there is none.
         * {@code answeredFor}'s own GET may take it on this decision ({@link ReadAheadDecisions}).
         */
        Future<Void> start(SendDependency dependency, String requestId, AnsweredFor answeredFor, long tailBytes);
    }

    /**
     * The client request a detached download was decided for, ahead of it: its {@code Authorization} (null: none),
     * path and query, and for how long the control plane lets that very request take the download on this decision
     * (zero: it asks the control plane as any request does).
     */
    record AnsweredFor(String authorization, String pathAndQuery, Duration reusableFor) {
    }
}
