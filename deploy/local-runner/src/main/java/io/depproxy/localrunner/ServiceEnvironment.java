package io.depproxy.localrunner;

import java.util.Map;
import java.util.TreeMap;

/**
 * The environment both services get: the runner's own (so every other DP_* variable, DP_UPSTREAM_URL for
 * instance, passes through) with every DP_* setting resolved to what the runner started or generated.
 */
final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    /** {@code postgres} / {@code s3} are null when DP_DB_URL / DP_S3_ENDPOINT point elsewhere. */
    static Map<String, String> build(RunnerSettings settings, PostgresServer postgres, S3Server s3,
                                     LocalSecrets secrets) {
        Map<String, String> env = new TreeMap<>(settings.env());
        if (postgres != null) {
            env.put("DP_DB_URL", postgres.jdbcUrl());
            env.put("DP_DB_USER", postgres.username());
            env.put("DP_DB_PASSWORD", postgres.password());
        }
        if (s3 != null) {
            env.put("DP_S3_ENDPOINT", s3.endpoint());
            env.put("DP_S3_ACCESS_KEY", s3.accessKey());
            env.put("DP_S3_SECRET_KEY", s3.secretKey());
        }
        env.put("DP_S3_BUCKET", settings.bucket());
        env.put("DP_S3_REGION", settings.region());
        if (settings.blank("DP_INTERNAL_SECRET") && settings.blank("DP_INTERNAL_SECRET_FILE")) {
            env.put("DP_INTERNAL_SECRET_FILE", secrets.internalSecretFile().toString());
        }
        if (settings.blank("DP_ENCRYPTION_KEY") && settings.blank("DP_ENCRYPTION_KEY_FILE")) {
            env.put("DP_ENCRYPTION_KEY_FILE", secrets.encryptionKeyFile().toString());
        }
        if (settings.blank("DP_ADMIN_TOKEN")) {
            env.put("DP_ADMIN_TOKEN", secrets.adminToken());
        }
        if (settings.blank("DP_JWT_PRIVATE_KEY_FILE")) {
            env.put("DP_JWT_PRIVATE_KEY_FILE", secrets.jwtPrivateKeyFile().toString());
        }
        env.put("DP_DATA_DIR", settings.dataDir().toString());
        env.put("DP_HTTP_PORT", Integer.toString(settings.httpPort()));
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(settings.controlPlanePort()));
        env.put("DP_CONTROL_PLANE_URL", settings.controlPlaneUrl());
        env.put("DP_EXTERNAL_URL", settings.externalUrl());
        env.put("DP_SPOOL_DIR", settings.spoolDir().toString());
        if (settings.blank("DP_LOG_FORMAT")) {
            env.put("DP_LOG_FORMAT", "text"); // a person reads make run's terminal; images, compose and k8s log JSON
        }
        return env;
    }

    /** The accelerator's share: everything but the control plane's encryption key. */
    static Map<String, String> forAccelerator(Map<String, String> env) {
        Map<String, String> accelerator = new TreeMap<>(env);
        accelerator.remove("DP_ENCRYPTION_KEY");
        accelerator.remove("DP_ENCRYPTION_KEY_FILE");
        return accelerator;
    }
}
