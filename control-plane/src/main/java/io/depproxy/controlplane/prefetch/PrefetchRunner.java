package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.access.RegistryTokenService;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.PrefetchJob;
import io.depproxy.controlplane.domain.PrefetchJobRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

/**
 * Runs the prefetch jobs this replica accepted: at most {@code DP_PREFETCH_THREADS} at once, the others waiting in a
 * queue of at most {@code DP_PREFETCH_MAX_QUEUED} (a full queue refuses the job); blobs on a pool shared by all jobs
 * ({@code DP_PREFETCH_CONCURRENCY}). Both are managed executors with bounded threads that propagate no request
 * context (a job makes its own transactions). Progress goes to the job's row (at once for an image's change of state,
 * at most once a second for bytes), so any replica can answer it; the rows of the jobs held here (waiting or running)
 * get a heartbeat every minute (well within {@link PrefetchService#STALE_AFTER}, so a job that waits or pulls slowly
 * never reads as interrupted), and a row whose heartbeat stopped does.
 */
@Startup
@ApplicationScoped
public class PrefetchRunner {
    /** A running job's row is refreshed at least this often while bytes flow. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(1);

    @Inject
    ControlPlaneConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    PrefetchJobRepository jobs;
    @Inject
    StoredObjects stored;
    @Inject
    RegistryTokenService tokens;

    private final Clock clock = Clock.systemUTC();
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private ManagedExecutor jobPool;
    private ManagedExecutor blobPool;
    private HttpClient http;

    @PostConstruct
    void start() {
        ControlPlaneConfig.Prefetch limits = validated(config.prefetch());
        jobPool = bounded(limits.threads(), limits.maxQueued());
        // unbounded queue, bounded in practice: a job submits one image's blobs and waits for them before the next
        blobPool = bounded(limits.concurrency(), -1);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A pool of its own rather than the injected {@code ManagedExecutor}: that one runs on Quarkus' worker pool, the
     * threads that also serve blocking requests, so a large prefetch would slow pulls and API calls; this one stays
     * within the DP_PREFETCH_* limits, whatever the jobs ask.
     */
    private static ManagedExecutor bounded(int threads, int queued) {
        return ManagedExecutor.builder().maxAsync(threads).maxQueued(queued)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
    }

    /** The limits, checked at start-up: a setting below 1 stops the start (a typo never leaves prefetch stuck). */
    static ControlPlaneConfig.Prefetch validated(ControlPlaneConfig.Prefetch limits) {
        atLeastOne("DP_PREFETCH_THREADS", limits.threads());
        atLeastOne("DP_PREFETCH_MAX_QUEUED", limits.maxQueued());
        atLeastOne("DP_PREFETCH_CONCURRENCY", limits.concurrency());
        atLeastOne("DP_PREFETCH_MAX_RUNNING_PER_GROUP", limits.maxRunningPerGroup());
        return limits;
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalStateException(name + " must be at least 1 (it is " + value + ")");
        }
    }

    @PreDestroy
    void stop() {
        jobPool.shutdownNow();
        blobPool.shutdownNow();
    }

    /**
     * Queues the job; its pulls act for {@code principal} (the creator), each image with a fresh registry token.
     * {@link RejectedExecutionException} when this replica's queue is full.
     */
    void submit(long jobId, long groupId, String groupPath, RegistryPrincipal principal, List<ImageReference> images,
                List<Platform> platforms, boolean withChain) {
        String pullUrl = config.prefetch().pullUrl().orElse(config.externalUrl());
        JobRun run = new JobRun(jobId, images, platforms, withChain,
                image -> new RegistryPull(http, json, pullUrl, groupPath, image.name(), tokens.issue(principal).token()),
                blobPool, new RowProgress(jobId), (manifests, blobs) -> stored.awaitStored(groupId, manifests, blobs));
        held.add(jobId);
        try {
            jobPool.execute(() -> {
                try {
                    QuarkusTransaction.requiringNew().run(() -> jobs.markRunning(jobId, clock.instant()));
                    run.run();
                } finally {
                    held.remove(jobId);
                }
            });
        } catch (RejectedExecutionException e) {
            held.remove(jobId);
            throw e;
        }
    }

    @Scheduled(identity = "dp-prefetch-heartbeat", every = "60s", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        List<Long> ids = List.copyOf(held);
        if (!ids.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> jobs.heartbeat(ids, clock.instant()));
        }
    }

    /** The progress column of a job's row (read back by {@link PrefetchService}). */
    String toJson(List<ImageProgress> images) {
        try {
            return json.writeValueAsString(images);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String status(List<ImageProgress> images, boolean finished) {
        if (!finished) {
            return PrefetchJob.RUNNING;
        }
        long done = images.stream().filter(i -> ImageProgress.DONE.equals(i.status())).count();
        return done == images.size() ? PrefetchJob.SUCCEEDED : done == 0 ? PrefetchJob.FAILED : PrefetchJob.PARTIAL;
    }

    /** Saves a job's progress in its row, bytes-only changes at most once per {@link #SAVE_EVERY}. */
    private final class RowProgress implements JobRun.Progress {
        private final long jobId;
        private long lastSaved;

        RowProgress(long jobId) {
            this.jobId = jobId;
        }

        @Override
        public synchronized void report(List<ImageProgress> images, boolean milestone, boolean finished) {
            long now = System.nanoTime();
            if (!milestone && !finished && now - lastSaved < SAVE_EVERY.toNanos()) {
                return;
            }
            lastSaved = now;
            int done = (int) images.stream().filter(i -> ImageProgress.DONE.equals(i.status())
                    || ImageProgress.FAILED.equals(i.status())).count();
            long bytesDone = images.stream().mapToLong(ImageProgress::bytesDone).sum();
            long bytesTotal = images.stream().mapToLong(ImageProgress::bytesTotal).sum();
            String json = toJson(images);
            String status = status(images, finished);
            QuarkusTransaction.requiringNew().run(() -> jobs.findByIdOptional(jobId).ifPresent(job ->
                    job.progress(status, json, done, bytesDone, bytesTotal, clock.instant())));
        }
    }
}
