package io.depproxy.controlplane.lifecycle;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The schedules, on every replica ({@code DP_TTL_JOB_INTERVAL}, {@code DP_CLEANUP_INTERVAL},
 * {@code DP_TMP_UPLOAD_SWEEP_INTERVAL}); the jobs themselves are safe to run on several replicas at once.
 */
@ApplicationScoped
public class LifecycleJobs {
    @Inject
    TtlExpiryService ttl;
    @Inject
    CleanupWorkers workers;
    @Inject
    TemporaryUploadSweeper sweeper;

    @Scheduled(identity = "dp-ttl-policy", every = "${dp.ttl-job-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            ttl.expire();
        } catch (RuntimeException e) {
            Log.errorf(e, "ttl policy job failed");
        }
    }

    @Scheduled(identity = "dp-cache-cleanup", every = "${dp.cleanup-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cleanup() {
        workers.kick();
    }

    @Scheduled(identity = "dp-tmp-upload-sweep", every = "${dp.tmp-upload-sweep-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            Log.errorf(e, "temporary upload sweep failed");
        }
    }
}
