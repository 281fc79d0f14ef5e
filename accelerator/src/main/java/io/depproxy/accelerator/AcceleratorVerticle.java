package io.depproxy.accelerator;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.edge.ConnectionGuard;
import io.depproxy.accelerator.edge.EdgeLimits;
import io.depproxy.accelerator.edge.EdgeResponder;
import io.depproxy.accelerator.edge.EdgeRouter;
import io.depproxy.accelerator.edge.HealthRoutes;
import io.depproxy.accelerator.edge.RequestBodyReader;
import io.depproxy.accelerator.inflight.InflightWork;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.inject.InjectionDispatcher;
import io.depproxy.accelerator.inject.ManifestObserver;
import io.depproxy.accelerator.inject.MissingObjects;
import io.depproxy.accelerator.inject.SendDependencyInjector;
import io.depproxy.accelerator.inject.SendPeerInjector;
import io.depproxy.accelerator.inject.SendUrlInjector;
import io.depproxy.accelerator.inject.SpooledClients;
import io.depproxy.accelerator.peer.PeerRoute;
import io.depproxy.accelerator.proxy.BackendProxy;
import io.depproxy.accelerator.proxy.ControlPlaneRequests;
import io.depproxy.accelerator.proxy.SendDataInterceptor;
import io.depproxy.accelerator.readahead.BlobReadAhead;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.accelerator.upload.ObjectStoreClient;
import io.depproxy.accelerator.upload.ObjectStoreUploader;
import io.depproxy.accelerator.upload.UploadAuthorizer;
import io.depproxy.accelerator.upload.UploadFinalizer;
import io.depproxy.accelerator.upload.UploadSession;
import io.depproxy.accelerator.upstream.OutboundGuard;
import io.depproxy.accelerator.upstream.Redirects;
import io.depproxy.accelerator.upstream.UpstreamClient;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.outbound.OutboundRedirects;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Wiring only: one instance per event loop, each with its own HTTP clients, all sharing {@link SharedResources}. */
public final class AcceleratorVerticle extends VerticleBase {
    private static final int POOL_SIZE = 256;
    /**
     * Body chunks of up to 32 KiB (Vert.x defaults to 8 KiB): a quarter of the writes per relayed blob, about 20%
     * faster on a cached blob here. Not more: a paused response keeps up to 16 chunks queued whatever their size,
     * so this is also what a slow client costs in heap per stream (512 KiB).
     */
    private static final int MAX_CHUNK_SIZE = 32 * 1024;
    private static final long DRAIN_POLL_MS = 100;
    /**
     * How long a pooled connection may stay idle before this side closes it: shorter than the servers' own idle
     * timeouts (30 s for Jetty, on which S3Proxy runs, and for MinIO; Vert.x's default is 60 s). Otherwise the server
     * closes a connection just as it is taken: measured, cold pulls stored in bursts about 10 s apart (the stores
     * wait for the pulls to pause) took connections the object store was closing three bursts later, and a PUT sent
     * again found the next closing one, until the blob was not stored.
     */
    private static final int KEEP_ALIVE_SECONDS = 15;

    private final AcceleratorConfig config;
    private final SharedResources shared;
    private final int listenPort;
    private HttpServer server;
    private HttpServer peerServer;
    private OutboundGuard outboundGuard;

    /** @param listenPort the configured port, or negative to share one random port among instances */
    public AcceleratorVerticle(AcceleratorConfig config, SharedResources shared, int listenPort) {
        this.config = config;
        this.shared = shared;
        this.listenPort = listenPort;
    }

    @Override
    public Future<?> start() {
        outboundGuard = new OutboundGuard(vertx, shared.outbound());
        // the control plane's pool has a bounded wait queue: past it a request is answered 503 at once
        HttpClient controlPlane = client(config.edge().backendMaxWaiters());
        HttpClient outbound = client(PoolOptions.DEFAULT_MAX_WAIT_QUEUE_SIZE);
        ControlPlaneRequests requests = new ControlPlaneRequests(config);
        RequestBodyReader bodies = new RequestBodyReader(vertx, config.edge().requestBodyTimeout(),
                shared.bodyBudget());
        Router router = EdgeRouter.create(vertx, new HealthRoutes(controlPlane, config),
                new BackendProxy(controlPlane, requests, new SendDataInterceptor(dispatcher(controlPlane, outbound, requests)),
                        bodies, shared.metrics()),
                shared.metrics(), shared.work());
        HttpServerOptions serverOptions = EdgeLimits.apply(new HttpServerOptions(), config.edge())
                .setHost(config.httpHost())
                .setPort(listenPort)
                .setHandle100ContinueAutomatically(true);
        ConnectionGuard guard = new ConnectionGuard(vertx, shared.connections(), config.edge().headerTimeout(),
                shared.metrics());
        server = guard.install(vertx.createHttpServer(serverOptions), router, EdgeResponder.invalidRequests());
        return server.listen().compose(listening -> listenForPeers());
    }

    /** The internal peer listener ({@code DP_PEER_PORT}), when this replica shares its downloads. */
    private Future<?> listenForPeers() {
        if (!config.peers().enabled()) {
            return Future.succeededFuture();
        }
        peerServer = vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost())
                        .setPort(config.peers().port()).setIdleTimeout((int) config.edge().idleTimeout().toSeconds())
                        .setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(new PeerRoute(vertx, shared.inflight(), new InternalJwt(config.internalSecret())));
        return peerServer.listen();
    }

    /**
     * Graceful: the listening socket closes at once, in-flight responses get up to the shutdown grace to finish
     * (HTTP/1.1 connections close after their current response), then uploads still storing a finished download get
     * what is left of it (counted in {@link InflightWork}, which the metrics only read). Vert.x closes this verticle's
     * HTTP clients only after this completes.
     */
    @Override
    public Future<?> stop() {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        Future<Void> peersDone = peerServer == null ? Future.succeededFuture()
                : peerServer.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        return Future.join(server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS), peersDone)
                .eventually(() -> uploadsDone(deadline));
    }

    private Future<Void> uploadsDone(long deadlineNanos) {
        Promise<Void> done = Promise.promise();
        vertx.setPeriodic(0, DRAIN_POLL_MS, id -> {
            if (shared.work().uploads() == 0 || System.nanoTime() - deadlineNanos >= 0) {
                vertx.cancelTimer(id);
                done.tryComplete();
            }
        });
        return done.future();
    }

    /** The port the server is bound to (the configured one, or the one chosen for port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private InjectionDispatcher dispatcher(HttpClient controlPlane, HttpClient outbound,
                                           ControlPlaneRequests requests) {
        Duration connect = config.upstreamConnectTimeout();
        Duration idle = config.upstreamHeaderTimeout();
        // the internal calls are small and answered in one piece: the Web Client, on the control plane's pool
        WebClient internalCalls = WebClient.wrap(controlPlane,
                new WebClientOptions().setFollowRedirects(false).setUserAgentEnabled(false));
        InternalRequests internal = new InternalRequests(internalCalls, config, new InternalJwt(config.internalSecret()));
        DependencyFetch.Services fetches = new DependencyFetch.Services(vertx, shared.spool(), shared.metrics(),
                config.uploadGrace(), shared.hot(), config.upstreamStallTimeout(), config.clientStallTimeout());
        SpooledClients clients = new SpooledClients(shared.inflight(), fetches);
        return new InjectionDispatcher(new SendUrlInjector(outbound, connect, idle, shared.hot(), shared.metrics(),
                new MissingObjects(internal, idle)),
                new SendDependencyInjector(clients, fetches,
                        new UpstreamClient(outbound, outboundGuard, connect, idle, shared.metrics()),
                        uploadSession(internal, outbound), readAhead(controlPlane, requests),
                        shared.readAheadDecisions()),
                new SendPeerInjector(clients, outbound, internal, connect, config.upstreamStallTimeout()),
                shared.metrics());
    }

    /** The blob read-ahead of a downloaded image manifest, or none ({@code DP_READ_AHEAD_MAX_BYTES} 0). */
    private ManifestObserver readAhead(HttpClient controlPlane, ControlPlaneRequests requests) {
        return config.readAheadMaxBytes() == 0 ? ManifestObserver.NONE
                : new BlobReadAhead(vertx, controlPlane, requests, config.readAheadMaxBytes(), shared.metrics());
    }

    private UploadSession uploadSession(InternalRequests internal, HttpClient outbound) {
        Duration idle = config.upstreamHeaderTimeout();
        return new UploadSession(
                new UploadAuthorizer(internal, idle),
                new ObjectStoreUploader(new ObjectStoreClient(vertx, outbound, config.upstreamConnectTimeout(), idle,
                        config.uploadGrace())),
                new UploadFinalizer(internal, config.uploadGrace()),
                shared.metrics(), shared.work());
    }

    /**
     * Streams (forwarding, upstream fetches, object storage): core HttpClient, no Web Client buffering in the way.
     *
     * @param maxWaiters requests that may wait for a connection once all {@link #POOL_SIZE} are busy (-1: any number)
     */
    private HttpClient client(int maxWaiters) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) config.upstreamConnectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setVerifyHost(true)
                .setDecompressionSupported(false)
                .setMaxRedirects(OutboundRedirects.MAX_HOPS)
                .setMaxChunkSize(MAX_CHUNK_SIZE);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(POOL_SIZE).setMaxWaitQueueSize(maxWaiters);
        return vertx.httpClientBuilder().with(options).with(pool)
                .withRedirectHandler(Redirects.handler(outboundGuard)).build();
    }
}
