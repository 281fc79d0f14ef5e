package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.controlplane.auth.RegistryPrincipal;
import io.depproxy.controlplane.auth.RegistryTokenService;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.PrefetchJob;
import io.depproxy.controlplane.domain.PrefetchJobRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the prefetch jobs this replica accepted: one coordinating thread per job, blobs on a pool shared by all jobs
 * ({@code DP_PREFETCH_CONCURRENCY}). Progress goes to the job's row (at once for an image's change of state, at most
 * once a second for bytes), so any replica can answer it; a row whose heartbeat stopped reads as interrupted.
 */
@ApplicationScoped
public class PrefetchRunner {
    /** A running job's row is refreshed at least this often while bytes flow. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ControlPlaneConfig config;
    @Inject
    PrefetchJobRepository jobs;
    @Inject
    RegistryTokenService tokens;

    private final Clock clock = Clock.systemUTC();
    private ExecutorService coordinators;
    private ExecutorService blobPool;
    private HttpClient http;

    @PostConstruct
    void start() {
        coordinators = Executors.newCachedThreadPool(named("prefetch-job"));
        blobPool = Executors.newFixedThreadPool(Math.max(1, config.prefetch().concurrency()), named("prefetch-blob"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @PreDestroy
    void stop() {
        coordinators.shutdownNow();
        blobPool.shutdownNow();
    }

    /** Starts the job; its pulls act for {@code principal} (the creator), each image with a fresh registry token. */
    void submit(long jobId, String groupPath, RegistryPrincipal principal, List<ImageReference> images,
                List<Platform> platforms) {
        String pullUrl = config.prefetch().pullUrl().orElse(config.externalUrl());
        JobRun run = new JobRun(jobId, images, platforms,
                image -> new RegistryPull(http, pullUrl, groupPath, image.name(), tokens.issue(principal).token()),
                blobPool, new RowProgress(jobId));
        coordinators.submit(run);
    }

    static String toJson(List<ImageProgress> images) {
        try {
            return JSON.writeValueAsString(images);
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

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
