package io.depproxy.e2e;

import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The DP_* environment of both services when a test starts them itself, as separate processes over one PostgreSQL
 * and one bucket (replicas, single-flight, fault injection), rather than through the local runner. Both maps are
 * mutable: a test adds what is particular to it.
 */
record ServiceSettings(String jdbcUrl, String dbUser, String dbPassword, String s3Endpoint, String s3AccessKey,
                       String s3SecretKey, String internalSecret, String encryptionKey, Path jwtKey,
                       String adminToken) {
    static final String BUCKET = "dependency-proxy";

    /** Over {@code postgres} and {@code s3} (whose bucket this creates), with fresh internal and encryption keys. */
    static ServiceSettings over(PostgresServer postgres, S3Server s3, Path jwtKey, String adminToken) {
        s3.createBucket(BUCKET);
        return new ServiceSettings(postgres.jdbcUrl(), postgres.username(), postgres.password(), s3.endpoint(),
                s3.accessKey(), s3.secretKey(), InternalSecret.generateBase64(), InternalSecret.generateBase64(),
                jwtKey, adminToken);
    }

    /** A control plane on {@code port}, reached at {@code externalUrl}, its default upstream {@code upstreamUrl}. */
    Map<String, String> controlPlane(int port, String externalUrl, String upstreamUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(port));
        env.put("DP_DB_URL", jdbcUrl);
        env.put("DP_DB_USER", dbUser);
        env.put("DP_DB_PASSWORD", dbPassword);
        env.put("DP_S3_ENDPOINT", s3Endpoint);
        env.put("DP_S3_ACCESS_KEY", s3AccessKey);
        env.put("DP_S3_SECRET_KEY", s3SecretKey);
        env.put("DP_S3_BUCKET", BUCKET);
        env.put("DP_S3_REGION", S3Server.REGION);
        env.put("DP_INTERNAL_SECRET", internalSecret);
        env.put("DP_JWT_PRIVATE_KEY_FILE", jwtKey.toString());
        env.put("DP_ENCRYPTION_KEY", encryptionKey);
        env.put("DP_ADMIN_TOKEN", adminToken);
        env.put("DP_EXTERNAL_URL", externalUrl);
        env.put("DP_UPSTREAM_URL", upstreamUrl);
        env.put("DP_UPSTREAM_SINGLE_NAME_PREFIX", "library");
        return env;
    }

    /** An accelerator on 127.0.0.1:{@code port} in front of {@code controlPlaneUrl}, spooling to {@code spool}. */
    Map<String, String> accelerator(int port, String controlPlaneUrl, Path spool) {
        Map<String, String> env = new HashMap<>();
        env.put("DP_HTTP_PORT", Integer.toString(port));
        env.put("DP_HTTP_HOST", "127.0.0.1");
        env.put("DP_CONTROL_PLANE_URL", controlPlaneUrl);
        env.put("DP_INTERNAL_SECRET", internalSecret);
        env.put("DP_SPOOL_DIR", spool.toString());
        return env;
    }
}
