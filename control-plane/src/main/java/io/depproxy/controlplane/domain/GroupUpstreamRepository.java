package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class GroupUpstreamRepository implements PanacheRepository<GroupUpstream> {

    /** The group's own list, first upstream first (empty: the group inherits). */
    public List<GroupUpstream> ofGroup(long groupId) {
        return list("groupId", Sort.by("position"), groupId);
    }

    /** How many groups list the upstream. */
    public long groupsUsing(long upstreamId) {
        return count("upstreamId", upstreamId);
    }

    /** The groups that list the upstream, at most {@code limit} of them, lowest id first. */
    public List<Long> groupIdsUsing(long upstreamId, int limit) {
        return find("upstreamId", Sort.by("groupId"), upstreamId).page(0, limit).list().stream()
                .map(GroupUpstream::getGroupId).toList();
    }
}
