package io.depproxy.accelerator;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.peer.PeerHeartbeat;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.auth.InternalJwt;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.depproxy.accelerator.config.ConfigLoader;
import io.depproxy.accelerator.stream.spool.Spool;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the environment, starts one verticle per core, and logs {@code accelerator listening on port N}. */
public final class AcceleratorMain {
    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorMain.class);
    /** Closing clients and event loops after the drain. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

    private AcceleratorMain() {
    }

    public static void main(String[] args) {
        boundNettyMemory();
        AcceleratorConfig config;
        try {
            config = ConfigLoader.fromEnvironment();
            Files.createDirectories(config.spoolDir());
            int leftovers = Spool.removeLeftovers(config.spoolDir());
            if (leftovers > 0) {
                LOG.info("removed {} spool files left by a previous run", leftovers);
            } else if (leftovers < 0) {
                LOG.warn("another process uses spool directory {}: its files are left alone", config.spoolDir());
            }
        } catch (IllegalArgumentException | IOException e) {
            LOG.error("accelerator cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        SharedResources shared;
        try {
            shared = SharedResources.create(vertx, config);
        } catch (UncheckedIOException e) {
            LOG.error("accelerator cannot start: {}: {}", e.getMessage(), e.getCause().toString());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, config, shared), "accelerator-shutdown"));
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        start(vertx, config, shared, instances)
                .onSuccess(port -> LOG.info("accelerator listening on port {}", port))
                .onFailure(err -> {
                    LOG.error("accelerator cannot start: {}", err.toString());
                    System.exit(1);
                });
    }

    /**
     * Netty's shared buffer pool, set before Vert.x starts it (a {@code -D} given on the command line wins). Netty
     * 4.2's default adaptive allocator keeps whole chunks alive for the few buffers a paused connection holds: with
     * 64 slow clients it held 127 MiB here, the classic pooled allocator with 1 MiB chunks and one arena per core 72.
     */
    private static void boundNettyMemory() {
        String cores = Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors()));
        Map.of("io.netty.allocator.type", "pooled",
                "io.netty.allocator.maxOrder", "7",
                "io.netty.allocator.numDirectArenas", cores,
                "io.netty.allocator.numHeapArenas", cores).forEach((name, value) -> {
                    if (System.getProperty(name) == null) {
                        System.setProperty(name, value);
                    }
                });
    }

    /** SIGTERM: undeploying the verticles drains them (see {@link AcceleratorVerticle#stop()}). */
    private static void stop(Vertx vertx, AcceleratorConfig config, SharedResources shared) {
        LOG.info("accelerator stopping: up to {} ms for {} active streams and {} uploads",
                config.shutdownGrace().toMillis(), shared.work().streams(), shared.work().uploads());
        long limit = config.shutdownGrace().plus(CLOSE_MARGIN).toMillis();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(limit, TimeUnit.MILLISECONDS);
            LOG.info("accelerator stopped");
        } catch (Exception e) {
            LOG.warn("accelerator did not stop cleanly: {}", e.toString());
        }
    }

    /**
     * Deploys {@code instances} verticles sharing one server port, and answers that port. Vert.x shares a listening
     * socket between servers bound to the same port; for port 0 that takes a negative port, which Vert.x reads as
     * "one random port shared by every server asking for this same negative port".
     */
    public static Future<Integer> start(Vertx vertx, AcceleratorConfig config, SharedResources shared, int instances) {
        int listenPort = config.httpPort() == 0 && instances > 1 ? -1 : config.httpPort();
        List<AcceleratorVerticle> deployed = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
            AcceleratorVerticle verticle = new AcceleratorVerticle(config, shared, listenPort);
            deployed.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(instances))
                .andThen(deployedOk -> {
                    if (deployedOk.succeeded()) {
                        startHeartbeat(vertx, config, shared);
                    }
                })
                .map(id -> deployed.get(0).actualPort());
    }

    /** With peer sharing on, one heartbeat per process keeps this replica's fetch leases alive. */
    private static void startHeartbeat(Vertx vertx, AcceleratorConfig config, SharedResources shared) {
        if (!config.peers().enabled()) {
            return;
        }
        WebClient controlPlane = WebClient.create(vertx,
                new WebClientOptions().setFollowRedirects(false).setUserAgentEnabled(false));
        new PeerHeartbeat(vertx, shared.inflight(),
                new InternalRequests(controlPlane, config, new InternalJwt(config.internalSecret())),
                config.peers().advertiseUrl()).start();
        LOG.info("sharing downloads with peers on port {} as {}", config.peers().port(), config.peers().advertiseUrl());
    }
}
