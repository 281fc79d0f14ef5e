package io.depproxy.localrunner;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests and for the local runner: MinIO in a container when Docker answers,
 * otherwise S3Proxy (filesystem storage) as a child process on 127.0.0.1. Region {@value #REGION}.
 */
public final class S3Server implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3Server.class.getName());
    public static final String REGION = "us-east-1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String endpoint;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final Stopper stopper;
    private final AtomicBoolean closed = new AtomicBoolean();

    S3Server(String endpoint, int port, String accessKey, String secretKey, Stopper stopper) {
        this.endpoint = endpoint;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.stopper = stopper;
    }

    /** A throw-away server with random keys: MinIO when Docker answers, else S3Proxy in a temporary directory. */
    public static S3Server startEphemeral() {
        String accessKey = randomKey(20);
        String secretKey = randomKey(40);
        if (Docker.available()) {
            return MinioContainers.start(accessKey, secretKey);
        }
        try {
            Path dir = Files.createTempDirectory("dp-s3-");
            return startProxy(dir, 0, accessKey, secretKey, true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary S3 directory", e);
        }
    }

    /** S3Proxy keeping its objects under {@code dir} across restarts, with fresh random keys; port 0 = free port. */
    public static S3Server startPersistent(Path dir, int port) {
        return startPersistent(dir, port, randomKey(20), randomKey(40));
    }

    /** S3Proxy keeping its objects under {@code dir} across restarts, with the given keys; port 0 = free port. */
    public static S3Server startPersistent(Path dir, int port, String accessKey, String secretKey) {
        return startProxy(dir, port, accessKey, secretKey, false, true);
    }

    static S3Server startProxy(Path dir, int port, String accessKey, String secretKey,
                               boolean throwAway, boolean shutdownHook) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        S3ProxyProcess process = S3ProxyProcess.start(dir, port, accessKey, secretKey, shutdownHook);
        Stopper stopper = throwAway ? () -> {
            process.close();
            deleteRecursively(dir);
        } : process::close;
        return new S3Server("http://127.0.0.1:" + process.port(), process.port(), accessKey, secretKey, stopper);
    }

    /** {@code http://127.0.0.1:<port>} (or the container's URL). */
    public String endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }

    /** Creates {@code bucket} unless it exists. */
    public void createBucket(String bucket) {
        try (MinioClient client = MinioClient.builder()
                .endpoint(endpoint).credentials(accessKey, secretKey).region(REGION).build()) {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create bucket " + bucket + " at " + endpoint, e);
        }
    }

    /** Stops the server; idempotent. Persistent data stays on disk. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            stopper.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "S3 server at " + endpoint + " did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint + "]";
    }

    static String randomKey(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            key.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return key.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
