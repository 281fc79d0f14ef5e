package io.depproxy.controlplane.support;

import io.depproxy.contracts.Golden;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * One PostgreSQL and one S3 server shared by several packaged control planes ({@link ControlPlaneProcess}), with the
 * environment that points a replica at them and direct access for test set-up.
 */
public final class ReplicaBackends implements AutoCloseable {
    private final String bucket;
    private final String adminToken;
    private final PostgresServer postgres;
    private final S3Server s3;
    private final MinioClient minio;
    private final Path signingKey;
    /** Replicas share the key of the upstream secrets too, so each can use what another stored. */
    private final String encryptionKey = InternalSecret.generateBase64();

    private ReplicaBackends(String bucket, String adminToken, PostgresServer postgres, S3Server s3) {
        this.signingKey = writeSigningKey();
        this.bucket = bucket;
        this.adminToken = adminToken;
        this.postgres = postgres;
        this.s3 = s3;
        this.minio = MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
    }

    public static ReplicaBackends start(String bucket, String adminToken) {
        return new ReplicaBackends(bucket, adminToken, PostgresServer.startEphemeral(), S3Server.startEphemeral());
    }

    /** Replicas share the key that signs registry tokens, so a token from one is good on the other. */
    private static Path writeSigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Path key = Files.createTempFile("dp-registry-key", ".pem");
            key.toFile().deleteOnExit();
            return Files.writeString(key, pem);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a registry signing key", e);
        }
    }

    /** A replica's DP_* environment (upstream unreachable), plus {@code extra}. */
    public Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("DP_DB_URL", postgres.jdbcUrl()),
                Map.entry("DP_DB_USER", postgres.username()),
                Map.entry("DP_DB_PASSWORD", postgres.password()),
                Map.entry("DP_S3_ENDPOINT", s3.endpoint()),
                Map.entry("DP_S3_ACCESS_KEY", s3.accessKey()),
                Map.entry("DP_S3_SECRET_KEY", s3.secretKey()),
                Map.entry("DP_S3_REGION", s3.region()),
                Map.entry("DP_S3_BUCKET", bucket),
                Map.entry("DP_INTERNAL_SECRET", Golden.read("internal-secret.txt")),
                Map.entry("DP_ADMIN_TOKEN", adminToken),
                Map.entry("DP_JWT_PRIVATE_KEY_FILE", signingKey.toString()),
                Map.entry("DP_ENCRYPTION_KEY", encryptionKey),
                Map.entry("DP_UPSTREAM_URL", "http://127.0.0.1:9")));
        env.putAll(extra);
        return env;
    }

    /** The S3 server goes away (connections refused from now on); for outage tests. */
    public void stopObjectStorage() {
        s3.close();
    }

    /** PostgreSQL goes away (open connections break, new ones are refused); for outage tests. */
    public void stopDatabase() {
        postgres.close();
    }

    public MinioClient minio() {
        return minio;
    }

    public String bucket() {
        return bucket;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    public void putObject(String key, byte[] bytes) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, null).build());
    }

    /** Closes each of {@code resources} that was opened, in order. */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    @Override
    public void close() throws Exception {
        minio.close();
        s3.close();
        postgres.close();
    }
}
