package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class GroupPullPolicyRepository implements PanacheRepository<GroupPullPolicy> {

    /** The own policies among {@code groupIds} (one query; any order). */
    public List<GroupPullPolicy> ofGroups(List<Long> groupIds) {
        return groupIds.isEmpty() ? List.of() : list("groupId in ?1", groupIds);
    }

    /** Removes the group's own policy; whether it had one. */
    public boolean deleteOfGroup(long groupId) {
        return delete("groupId", groupId) > 0;
    }
}
