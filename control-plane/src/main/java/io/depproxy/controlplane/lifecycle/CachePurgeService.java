package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.domain.CacheLifecycleRepository;
import io.depproxy.controlplane.domain.CacheTable;
import io.depproxy.controlplane.domain.ReferrersIndexRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Marks a group's records pending_destruction for the deletion workers: a purge, or the group being deleted. A purge
 * also deletes the group's stored referrers indexes (a deleted group's go with it, by the foreign key).
 */
@ApplicationScoped
public class CachePurgeService {
    @Inject
    CacheLifecycleRepository records;
    @Inject
    CleanupWorkers workers;
    @Inject
    ReferrersIndexRepository referrers;

    /** {@code DELETE …/dependency_proxy/cache}: every record of the group; the workers start at once. */
    public int purge(long groupId) {
        int marked = QuarkusTransaction.requiringNew().call(() -> {
            referrers.deleteGroup(groupId);
            return records.markGroup(CacheTable.MANIFESTS, groupId) + records.markGroup(CacheTable.BLOBS, groupId);
        });
        workers.kick();
        return marked;
    }

    /** In the caller's transaction (which deletes the group): the records of the group and all its subgroups. */
    public int markSubtree(long rootGroupId) {
        return records.markSubtree(CacheTable.MANIFESTS, rootGroupId) + records.markSubtree(CacheTable.BLOBS, rootGroupId);
    }
}
