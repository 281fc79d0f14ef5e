package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;

@ApplicationScoped
public class GroupMemberRepository implements PanacheRepository<GroupMember> {

    /** The user's highest access level over the given groups (a group and its ancestors). */
    public int maxAccessLevel(long userId, Collection<Long> groupIds) {
        if (groupIds.isEmpty()) {
            return 0;
        }
        Integer level = getEntityManager()
                .createQuery("select max(m.accessLevel) from GroupMember m where m.userId = ?1 and m.groupId in ?2",
                        Integer.class)
                .setParameter(1, userId)
                .setParameter(2, groupIds)
                .getSingleResult();
        return level == null ? 0 : level;
    }

    public Optional<GroupMember> find(long groupId, long userId) {
        return find("groupId = ?1 and userId = ?2", groupId, userId).firstResultOptional();
    }
}
