package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.upload.UploadSession;
import io.depproxy.accelerator.upstream.UpstreamClient;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import java.util.Optional;
import java.util.function.Supplier;

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
    private final ReadAheadDecisions readAheadDecisions;

    public SendDependencyInjector(SpooledClients clients, DependencyFetch.Services services, UpstreamClient upstream,
                                  UploadSession uploads, ManifestObserver manifests,
                                  ReadAheadDecisions readAheadDecisions) {
        this.clients = clients;
        this.upstream = upstream;
        this.uploads = uploads;
        this.metrics = services.metrics();
        this.manifests = manifests;
        this.readAheadDecisions = readAheadDecisions;
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_DEPENDENCY;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendDependency dependency) {
        return clients.serve(exchange, clientOrigin(exchange, dependency));
    }

    /**
     * The client's GET of {@code pathAndQuery}, served on the decision the read-ahead got for exactly this request
     * (same {@code Authorization}, path and query; used once, within the control plane's bound) from the download
     * it started, if that download is still here and nobody's: the serving to run, or empty when the client must ask
     * the control plane.
     */
    public Optional<Supplier<Future<Void>>> onReadAheadDecision(Exchange exchange, String pathAndQuery) {
        return readAheadDecisions.take(exchange.request().getHeader(HttpHeaders.AUTHORIZATION), pathAndQuery)
                .flatMap(dependency -> {
                    DownloadOrigin origin = clientOrigin(exchange, dependency);
                    return clients.takeReadAhead(origin)
                            .map(fetch -> () -> clients.serveTaken(exchange, origin, fetch));
                });
    }

    private UpstreamOrigin clientOrigin(Exchange exchange, SendDependency dependency) {
        return new UpstreamOrigin(dependency, upstream, uploads, metrics,
                manifest -> manifests.verified(exchange, manifest, this::startDetached));
    }

    /** A download of the upstream nobody waits for yet (the read-ahead's); its verified manifest is not observed. */
    private Future<Void> startDetached(SendDependency dependency, String requestId,
                                       ManifestObserver.AnsweredFor answeredFor, long tailBytes) {
        Future<Void> ended = clients.startDetached(new UpstreamOrigin(dependency, upstream, uploads, metrics, null),
                requestId, tailBytes);
        // once the download is in the registry, where the client's request looks for it
        readAheadDecisions.remember(answeredFor.authorization(), answeredFor.pathAndQuery(), dependency,
                answeredFor.reusableFor());
        return ended;
    }
}
