package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PrefetchJobRepository implements PanacheRepository<PrefetchJob> {

    public Optional<PrefetchJob> findInGroup(long groupId, long jobId) {
        return find("groupId = ?1 and id = ?2", groupId, jobId).firstResultOptional();
    }
}
