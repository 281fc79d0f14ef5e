package io.depproxy.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The cache lifecycle jobs. Like {@link ControlPlaneConfig}, each key is found under its environment variable name
 * ({@code dp.ttl-job-interval} ← {@code DP_TTL_JOB_INTERVAL}). The intervals are also read by the schedules.
 */
@ConfigMapping(prefix = "dp")
public interface LifecycleConfig {

    /** {@code DP_TTL_JOB_INTERVAL}: how often expired records of groups with a TTL policy are marked. */
    @WithDefault("1h")
    Duration ttlJobInterval();

    /** {@code DP_CLEANUP_INTERVAL}: how often the deletion workers look for pending_destruction records. */
    @WithDefault("1m")
    Duration cleanupInterval();

    /** {@code DP_CLEANUP_WORKERS}: deletion workers per replica (GitLab's capacity default: 2). */
    @WithDefault("2")
    int cleanupWorkers();

    /** {@code DP_CLEANUP_BATCH_SIZE}: records one worker locks ({@code FOR UPDATE SKIP LOCKED LIMIT n}) at a time. */
    @WithDefault("25")
    int cleanupBatchSize();

    /** {@code DP_TMP_UPLOAD_SWEEP_INTERVAL}: how often never-finalized temporary uploads are looked for. */
    @WithDefault("1h")
    Duration tmpUploadSweepInterval();

    /** {@code DP_TMP_UPLOAD_MAX_AGE}: a temporary upload older than this (the presigned URLs' expiry) is deleted. */
    @WithDefault("4h15m")
    Duration tmpUploadMaxAge();
}
