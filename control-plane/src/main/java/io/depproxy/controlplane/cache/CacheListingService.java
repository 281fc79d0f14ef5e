package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.lifecycle.CachePurgeService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** What a group has cached (members may look; the hits this replica holds are written first), and the purge (owners). */
@ApplicationScoped
public class CacheListingService {
    @Inject
    GroupPermissions permissions;
    @Inject
    ManifestRepository manifests;
    @Inject
    BlobRepository blobs;
    @Inject
    GroupStatisticsRepository statistics;
    @Inject
    CachePurgeService purge;
    @Inject
    HitRecorder hits;
    @Inject
    ManifestRecords servable;

    /** Current contents and the counters since the group was created. */
    public record Statistics(GroupStatisticsRepository.Stored stored, GroupStatisticsRepository.Counters counters) {
    }

    public Page<CachedManifest> manifests(ApiCaller caller, String groupId, PageRequest page) {
        return manifests(caller, groupId, "", page);
    }

    public Page<CachedBlob> blobs(ApiCaller caller, String groupId, PageRequest page) {
        return blobs(caller, groupId, "", page);
    }

    /** The admin page's listings: records whose image name ({@code search}, may be empty) or digest matches. */
    public Page<CachedManifest> manifests(ApiCaller caller, String groupId, String search, PageRequest page) {
        hits.flush();
        return manifests.pageOfGroup(permissions.require(caller, groupId, GroupMember.GUEST).getId(), search, page);
    }

    public Page<CachedBlob> blobs(ApiCaller caller, String groupId, String digestSearch, PageRequest page) {
        hits.flush();
        return blobs.pageOfGroup(permissions.require(caller, groupId, GroupMember.GUEST).getId(), digestSearch, page);
    }

    /** The counters of the last {@code days} UTC days that had pulls, oldest first. */
    public List<GroupStatisticsRepository.Day> recentDays(ApiCaller caller, String groupId, int days) {
        long id = permissions.require(caller, groupId, GroupMember.GUEST).getId();
        hits.flush();
        return statistics.recentDays(id, days);
    }

    public Statistics statistics(ApiCaller caller, String groupId) {
        long id = permissions.require(caller, groupId, GroupMember.GUEST).getId();
        hits.flush();
        return new Statistics(statistics.stored(id), statistics.counters(id));
    }

    /**
     * GitLab's purge (owner): every record becomes pending_destruction and the deletion workers start. This replica
     * stops serving them at once, the others within {@code DP_DECISION_CACHE_TTL}.
     */
    public int purge(ApiCaller caller, String groupId) {
        long id = permissions.require(caller, groupId, GroupMember.OWNER).getId();
        int marked = purge.purge(id);
        servable.forgetGroup(id);
        return marked;
    }
}
