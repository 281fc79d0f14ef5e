package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

@ApplicationScoped
public class PrefetchJobRepository implements PanacheRepository<PrefetchJob> {

    public Optional<PrefetchJob> findInGroup(long groupId, long jobId) {
        return find("groupId = ?1 and id = ?2", groupId, jobId).firstResultOptional();
    }

    /** The group's jobs, newest first. */
    public Page<PrefetchJob> pageInGroup(long groupId, PageRequest request) {
        PanacheQuery<PrefetchJob> query = find("groupId", Sort.by("id", Sort.Direction.Descending), groupId);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** The group's jobs not finished whose replica was alive after {@code aliveSince} (queued or running). */
    public long countUnfinished(long groupId, Instant aliveSince) {
        return count("groupId = ?1 and finishedAt is null and heartbeatAt > ?2", groupId, aliveSince);
    }

    /** A queued job took a thread. */
    public void markRunning(long jobId, Instant now) {
        update("status = ?1, heartbeatAt = ?2, updatedAt = ?2 where id = ?3 and finishedAt is null",
                PrefetchJob.RUNNING, now, jobId);
    }

    /** The replica holding these jobs (queued or running) is alive. */
    public void heartbeat(Collection<Long> jobIds, Instant now) {
        update("heartbeatAt = ?1 where id in ?2 and finishedAt is null", now, jobIds);
    }
}
