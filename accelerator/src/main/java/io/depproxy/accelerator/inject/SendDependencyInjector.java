package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.inflight.InflightRegistry;
import io.depproxy.accelerator.upload.UploadSession;
import io.depproxy.accelerator.upstream.UpstreamClient;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Future;

/**
 * send-dependency: the client is served from the one shared download of the upstream's answer
 * ({@link SpooledClients}, {@link UpstreamOrigin}), which is stored once it arrived and was verified.
 */
public final class SendDependencyInjector implements Injector<SendDependency> {
    private final SpooledClients clients;
    private final UpstreamClient upstream;
    private final UploadSession uploads;
    private final AcceleratorMetrics metrics;
    private final ManifestObserver manifests;

    public SendDependencyInjector(InflightRegistry<CoalesceKey, DependencyFetch> inflight,
                                  DependencyFetch.Services services, UpstreamClient upstream, UploadSession uploads,
                                  ManifestObserver manifests) {
        this.clients = new SpooledClients(inflight, services);
        this.upstream = upstream;
        this.uploads = uploads;
        this.metrics = services.metrics();
        this.manifests = manifests;
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_DEPENDENCY;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendDependency dependency) {
        return clients.serve(exchange, new UpstreamOrigin(dependency, upstream, uploads, metrics,
                manifest -> manifests.verified(exchange, manifest, this::startDetached)));
    }

    /** A download of the upstream nobody waits for yet (the read-ahead's); its verified manifest is not observed. */
    private Future<Void> startDetached(SendDependency dependency, String requestId) {
        return clients.startDetached(new UpstreamOrigin(dependency, upstream, uploads, metrics, null), requestId);
    }
}
