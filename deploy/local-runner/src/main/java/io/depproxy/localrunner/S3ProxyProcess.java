package io.depproxy.localrunner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * S3Proxy 4.1.0 run from its fat jar as a child process (it never goes on a classpath), storing objects under
 * {@code <dir>/data}, configured by {@code <dir>/s3proxy.properties}, logging to {@code <dir>/s3proxy.log}.
 */
final class S3ProxyProcess {

    private static final Logger LOG = Logger.getLogger(S3ProxyProcess.class.getName());
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int ATTEMPTS_ON_PICKED_PORT = 3;

    private final ChildProcess process;
    private final int port;

    private S3ProxyProcess(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Proxy on {@code port} (0 = a free port, retried if another process takes it first). */
    static S3ProxyProcess start(Path dir, int port, String accessKey, String secretKey, boolean shutdownHook) {
        Path jar = S3ProxyJar.locate();
        int attempts = port == 0 ? ATTEMPTS_ON_PICKED_PORT : 1;
        for (int attempt = 1; ; attempt++) {
            int chosen = port == 0 ? FreePorts.pick() : port;
            ChildProcess process = launch(jar, dir, chosen, accessKey, secretKey);
            try {
                process.awaitReady(ReadinessProbe.listening(chosen), START_TIMEOUT);
                LOG.info(() -> "S3Proxy ready at http://127.0.0.1:" + chosen + " (data " + dir.resolve("data") + ")");
                if (shutdownHook) {
                    process.stopOnJvmExit(STOP_GRACE);
                }
                return new S3ProxyProcess(process, chosen);
            } catch (IllegalStateException failure) {
                if (process.isAlive() || attempt >= attempts) {
                    process.stop(STOP_GRACE);
                    throw failure;
                }
            }
            LOG.warning(() -> "S3Proxy could not start on port " + chosen + ", trying another port");
        }
    }

    int port() {
        return port;
    }

    /** SIGTERM, up to 10 s, then SIGKILL. Idempotent. */
    void close() {
        if (process.isAlive()) {
            process.stop(STOP_GRACE);
        }
    }

    private static ChildProcess launch(Path jar, Path dir, int port, String accessKey, String secretKey) {
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("s3proxy.properties");
            Properties properties = new Properties();
            properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            properties.setProperty("s3proxy.identity", accessKey);
            properties.setProperty("s3proxy.credential", secretKey);
            properties.setProperty("jclouds.provider", "filesystem");
            properties.setProperty("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
            properties.setProperty("jclouds.identity", "local");
            properties.setProperty("jclouds.credential", "local");
            try (OutputStream out = Files.newOutputStream(config)) {
                properties.store(out, "written by io.depproxy.localrunner.S3Server");
            }
            return ChildProcess.java("S3Proxy", List.of(), jar,
                            List.of("--properties", config.toAbsolutePath().toString()))
                    .directory(dir).logTo(dir.resolve("s3proxy.log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy in " + dir, e);
        }
    }
}
