package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendPeer;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;

/** Picks the injector for a decoded injection and counts responses and bytes per injection. */
public final class InjectionDispatcher {
    private final Injector<SendUrl> sendUrl;
    private final SendDependencyInjector sendDependency;
    private final Injector<SendPeer> sendPeer;
    private final AcceleratorMetrics metrics;

    public InjectionDispatcher(Injector<SendUrl> sendUrl, SendDependencyInjector sendDependency,
                               Injector<SendPeer> sendPeer, AcceleratorMetrics metrics) {
        this.sendUrl = sendUrl;
        this.sendDependency = sendDependency;
        this.sendPeer = sendPeer;
        this.metrics = metrics;
    }

    public void dispatch(Exchange exchange, Injection injection) {
        account(exchange, injection, () -> run(exchange, injection));
    }

    /**
     * Serves the client's GET of {@code pathAndQuery} on the decision its blob read-ahead got for it, when there is
     * one and its download is still here to take ({@link SendDependencyInjector#onReadAheadDecision}); false when the
     * control plane must be asked.
     */
    public boolean dispatchOnReadAheadDecision(Exchange exchange, String pathAndQuery) {
        Optional<Supplier<Future<Void>>> serving = sendDependency.onReadAheadDecision(exchange, pathAndQuery);
        if (serving.isEmpty()) {
            return false;
        }
        metrics.readAheadTaken();
        account(exchange, sendDependency.name(), false, serving.get());
        return true;
    }

    private void account(Exchange exchange, Injection injection, Supplier<Future<Void>> serving) {
        account(exchange, injectorFor(injection).name(), injection instanceof SendUrl, serving);
    }

    private void account(Exchange exchange, String name, boolean fromCache, Supplier<Future<Void>> serving) {
        exchange.injection(name);
        metrics.response(name);
        Future<Void> served;
        try {
            served = serving.get();
        } catch (RuntimeException e) {
            served = Future.failedFuture(e);
        }
        served.onFailure(err -> {
                    if (!exchange.response().headWritten()) {
                        FailureResponder.respond(exchange, 502, RegistryErrorCode.UNAVAILABLE, "bad gateway", err);
                    }
                })
                .onComplete(ar -> {
                    long written = exchange.bytesSent();
                    metrics.bytes(name, written);
                    if (fromCache) {
                        metrics.bytesServedFromCache(written);
                    }
                });
    }

    private Future<Void> run(Exchange exchange, Injection injection) {
        if (injection instanceof SendUrl url) {
            return sendUrl.inject(exchange, url);
        }
        if (injection instanceof SendDependency dependency) {
            return sendDependency.inject(exchange, dependency);
        }
        if (injection instanceof SendPeer peer) {
            return sendPeer.inject(exchange, peer);
        }
        return Future.failedFuture(new IllegalStateException("no injector for " + injection.getClass()));
    }

    private Injector<?> injectorFor(Injection injection) {
        if (injection instanceof SendUrl) {
            return sendUrl;
        }
        if (injection instanceof SendDependency) {
            return sendDependency;
        }
        if (injection instanceof SendPeer) {
            return sendPeer;
        }
        throw new IllegalStateException("no injector for " + injection.getClass().getName());
    }
}
