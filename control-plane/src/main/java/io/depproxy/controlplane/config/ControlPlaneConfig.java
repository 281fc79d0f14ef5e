package io.depproxy.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the control plane reads besides Quarkus' own keys. Each key is found under its environment variable
 * name ({@code dp.s3.access-key} ← {@code DP_S3_ACCESS_KEY}), so the variables of docs/configuration.md need no
 * extra mapping.
 */
@ConfigMapping(prefix = "dp")
public interface ControlPlaneConfig {

    /** {@code DP_EXTERNAL_URL}: the public base URL clients use (token realm, web URLs). */
    @WithDefault("http://localhost:8080")
    String externalUrl();

    Upstream upstream();

    S3 s3();

    Jwt jwt();

    Registry registry();

    Prefetch prefetch();

    Outbound outbound();

    /** {@code DP_INTERNAL_SECRET}: base64 of the 32-byte key shared with the accelerator. */
    Optional<String> internalSecret();

    /** {@code DP_INTERNAL_SECRET_FILE}: a file holding that base64 text. */
    Optional<String> internalSecretFile();

    /**
     * {@code DP_ENCRYPTION_KEY}: base64 of the 32-byte key encrypting upstream secrets at rest (control plane only;
     * required outside dev mode).
     */
    Optional<String> encryptionKey();

    /** {@code DP_ENCRYPTION_KEY_FILE}: a file holding that base64 text. */
    Optional<String> encryptionKeyFile();

    /**
     * {@code DP_MIRROR_GROUP}: the full path of the group the root registry routes ({@code /v2/<image>/…}, as
     * containerd and Docker mirrors ask) answer for; unset, only group paths are served.
     */
    Optional<String> mirrorGroup();

    /** {@code DP_ADMIN_TOKEN}: the bootstrap admin's personal access token. */
    Optional<String> adminToken();

    interface Upstream {
        /** {@code DP_UPSTREAM_URL}. */
        @WithDefault("https://registry-1.docker.io")
        String url();

        /** {@code DP_UPSTREAM_USERNAME}. */
        Optional<String> username();

        /** {@code DP_UPSTREAM_PASSWORD}. */
        Optional<String> password();

        /** {@code DP_UPSTREAM_SINGLE_NAME_PREFIX}; unset = {@code library} on Docker Hub, none elsewhere. */
        Optional<String> singleNamePrefix();
    }

    interface S3 {
        /** {@code DP_S3_ENDPOINT}: also the base of every presigned URL, so the accelerator must reach it. */
        String endpoint();

        /** {@code DP_S3_ACCESS_KEY}. */
        String accessKey();

        /** {@code DP_S3_SECRET_KEY}. */
        String secretKey();

        /** {@code DP_S3_BUCKET}; created at start-up when missing. */
        @WithDefault("dependency-proxy")
        String bucket();

        /** {@code DP_S3_REGION}. */
        @WithDefault("us-east-1")
        String region();
    }

    interface Jwt {
        /**
         * {@code DP_JWT_PRIVATE_KEY_FILE}: PKCS#8 PEM RSA key signing registry tokens, the same for every replica;
         * required outside dev mode (dev and test generate one per start).
         */
        Optional<String> privateKeyFile();
    }

    interface Registry {
        /** {@code DP_REGISTRY_TOKEN_TTL}: lifetime of a registry token. */
        @WithDefault("15m")
        Duration tokenTtl();
    }

    interface Outbound {
        /**
         * {@code DP_OUTBOUND_ALLOW}: comma-separated hosts, host:port pairs or address blocks (CIDR) that upstream
         * calls, their redirects and token realms may reach although they are loopback or private; unset, only an
         * upstream's own origin may be internal. Link-local, metadata and the services' own addresses stay refused.
         */
        Optional<String> allow();
    }

    interface Prefetch {
        /**
         * {@code DP_PREFETCH_PULL_URL}: where prefetch jobs pull from, the accelerator (default {@code DP_EXTERNAL_URL};
         * in a cluster, the accelerator's Service), so a prefetch takes the clients' own miss path.
         */
        Optional<String> pullUrl();

        /** {@code DP_PREFETCH_CONCURRENCY}: blobs pulled at once by the prefetch jobs of one replica. */
        @WithDefault("4")
        int concurrency();

        /** {@code DP_PREFETCH_THREADS}: prefetch jobs one replica runs at once; the others it accepted wait. */
        @WithDefault("2")
        int threads();

        /** {@code DP_PREFETCH_MAX_QUEUED}: jobs one replica holds waiting for a thread; beyond, 503. */
        @WithDefault("100")
        int maxQueued();

        /**
         * {@code DP_PREFETCH_MAX_RUNNING_PER_GROUP}: unfinished jobs (waiting or running, on any replica) one group
         * may have; beyond, starting another answers 429.
         */
        @WithDefault("2")
        int maxRunningPerGroup();
    }
}
