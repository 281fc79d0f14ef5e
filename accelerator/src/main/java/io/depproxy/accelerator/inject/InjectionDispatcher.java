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

/** Picks the injector for a decoded injection and counts responses and bytes per injection. */
public final class InjectionDispatcher {
    private final Injector<SendUrl> sendUrl;
    private final Injector<SendDependency> sendDependency;
    private final Injector<SendPeer> sendPeer;
    private final AcceleratorMetrics metrics;

    public InjectionDispatcher(Injector<SendUrl> sendUrl, Injector<SendDependency> sendDependency,
                               Injector<SendPeer> sendPeer, AcceleratorMetrics metrics) {
        this.sendUrl = sendUrl;
        this.sendDependency = sendDependency;
        this.sendPeer = sendPeer;
        this.metrics = metrics;
    }

    public void dispatch(Exchange exchange, Injection injection) {
        String name = injectorFor(injection).name();
        exchange.injection(name);
        metrics.response(name);
        run(exchange, injection)
                .onFailure(err -> {
                    if (!exchange.response().headWritten()) {
                        FailureResponder.respond(exchange, 502, RegistryErrorCode.UNAVAILABLE, "bad gateway", err);
                    }
                })
                .onComplete(ar -> {
                    long written = exchange.bytesSent();
                    metrics.bytes(name, written);
                    if (injection instanceof SendUrl) {
                        metrics.bytesServedFromCache(written);
                    }
                });
    }

    private Future<Void> run(Exchange exchange, Injection injection) {
        try {
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
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
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
