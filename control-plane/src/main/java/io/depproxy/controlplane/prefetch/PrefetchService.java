package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.PrefetchJob;
import io.depproxy.controlplane.domain.PrefetchJobRepository;
import io.depproxy.controlplane.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Prefetch jobs of a group: started by a developer or above (a job pulls as its creator), read by anyone who can
 * read the group. At most {@link #MAX_IMAGES} images and {@link #MAX_PLATFORMS} platforms per job, and at most
 * {@code DP_PREFETCH_MAX_RUNNING_PER_GROUP} unfinished jobs per group across replicas (beyond, 429): the count and the
 * new row are written under a lock on the group's row, so two replicas cannot both take the last place.
 */
@ApplicationScoped
public class PrefetchService {
    static final int MAX_IMAGES = 100;
    static final int MAX_PLATFORMS = 16;
    /** A running job whose row was not refreshed for this long lost its replica. */
    static final Duration STALE_AFTER = Duration.ofMinutes(5);
    /** A job as the API shows it; {@code status} is {@code interrupted} for a job whose replica went away. */
    public record JobState(PrefetchJob job, String status, List<ImageProgress> images) {
    }

    @Inject
    GroupPermissions permissions;
    @Inject
    PrefetchJobRepository jobs;
    @Inject
    PrefetchRunner runner;
    @Inject
    GroupRepository groups;
    @Inject
    ControlPlaneConfig config;
    @Inject
    ObjectMapper json;

    private final Clock clock = Clock.systemUTC();

    public JobState start(ApiCaller caller, String idOrPath, List<String> imageTexts, List<String> platformTexts) {
        return start(caller, idOrPath, imageTexts, platformTexts, false);
    }

    /** {@code withChain}: also each image's cosign signature tag, its referrers and their manifests and blobs. */
    public JobState start(ApiCaller caller, String idOrPath, List<String> imageTexts, List<String> platformTexts,
                          boolean withChain) {
        Group group = QuarkusTransaction.requiringNew().call(() ->
                permissions.require(caller, idOrPath, GroupMember.DEVELOPER));
        if (imageTexts.isEmpty() || imageTexts.size() > MAX_IMAGES) {
            throw ApiException.badRequest("images: between 1 and " + MAX_IMAGES + " image references");
        }
        if (platformTexts.size() > MAX_PLATFORMS) {
            throw ApiException.badRequest("platforms: at most " + MAX_PLATFORMS);
        }
        List<ImageReference> images = imageTexts.stream()
                .map(text -> ImageReference.parse(text, group.getFullPath())).distinct().toList();
        List<Platform> platforms = platformTexts.stream().map(Platform::parse).distinct().toList();
        List<ImageProgress> pending = images.stream().map(i -> ImageProgress.pending(i.toString())).toList();
        int limit = config.prefetch().maxRunningPerGroup();
        PrefetchJob job = QuarkusTransaction.requiringNew().call(() -> {
            groups.findById(group.getId(), LockModeType.PESSIMISTIC_WRITE);
            if (jobs.countUnfinished(group.getId(), clock.instant().minus(STALE_AFTER)) >= limit) {
                throw ApiException.tooManyRequests("the group already has " + limit + " unfinished prefetch "
                        + (limit == 1 ? "job" : "jobs") + " (DP_PREFETCH_MAX_RUNNING_PER_GROUP); start this one when"
                        + " one has finished");
            }
            PrefetchJob created = PrefetchJob.create(group.getId(), caller.user().getId(),
                    platforms.isEmpty() ? null : String.join(",", platforms.stream().map(Platform::toString).toList()),
                    runner.toJson(pending), images.size(), clock.instant());
            jobs.persist(created);
            return created;
        });
        RegistryPrincipal principal = RegistryPrincipal.user(caller.tokenId(), caller.user().getId(),
                caller.user().getUsername(), caller.user().isAdmin());
        try {
            runner.submit(job.getId(), group.getId(), group.getFullPath(), principal, images, platforms, withChain);
        } catch (RejectedExecutionException e) {
            QuarkusTransaction.requiringNew().run(() -> jobs.deleteById(job.getId()));
            throw ApiException.unavailable("this replica's prefetch queue is full (DP_PREFETCH_MAX_QUEUED); try again"
                    + " later");
        }
        return new JobState(job, job.getStatus(), pending);
    }

    public JobState get(ApiCaller caller, String idOrPath, long jobId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Group group = permissions.require(caller, idOrPath, GroupMember.GUEST);
            PrefetchJob job = jobs.findInGroup(group.getId(), jobId)
                    .orElseThrow(() -> ApiException.notFound("Prefetch job"));
            return state(job);
        });
    }

    /** The group's jobs, newest first, for anyone who can read the group. */
    public Page<JobState> list(ApiCaller caller, String idOrPath, PageRequest page) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Group group = permissions.require(caller, idOrPath, GroupMember.GUEST);
            return jobs.pageInGroup(group.getId(), page).map(this::state);
        });
    }

    private JobState state(PrefetchJob job) {
        boolean lost = !job.finished() && job.getHeartbeatAt().plus(STALE_AFTER).isBefore(clock.instant());
        return new JobState(job, lost ? "interrupted" : job.getStatus(), images(job));
    }

    private List<ImageProgress> images(PrefetchJob job) {
        try {
            return json.readValue(job.getImages(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
