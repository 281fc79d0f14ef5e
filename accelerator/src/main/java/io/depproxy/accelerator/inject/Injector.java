package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.contracts.senddata.Injection;
import io.vertx.core.Future;

/** Answers a client from an injection instead of the control plane's (empty) body. */
public interface Injector<T extends Injection> {
    /** The name used in logs and metrics: the send-data prefix. */
    String name();

    /** Completes when the client's response ended; fails only when it had to be reset. */
    Future<Void> inject(Exchange exchange, T injection);
}
