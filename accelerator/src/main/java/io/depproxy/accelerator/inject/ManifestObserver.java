package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

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
         * has no coalesce key: then nobody could join it, and nothing is started). Completes once this download ended,
         * verified or not; at once when nothing was started.
         */
        Future<Void> start(SendDependency dependency, String requestId);
    }
}
