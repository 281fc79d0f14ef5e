package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
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

    /** A membership with the member's user. */
    public record Membership(GroupMember member, User user) {
    }

    /** The group's direct members, in the order they were added. */
    public Page<Membership> pageOfGroup(long groupId, PageRequest request) {
        List<Object[]> rows = getEntityManager().createQuery("select m, u from GroupMember m, AppUser u"
                        + " where u.id = m.userId and m.groupId = ?1 order by m.id", Object[].class)
                .setParameter(1, groupId).setFirstResult(request.offset()).setMaxResults(request.perPage())
                .getResultList();
        return new Page<>(rows.stream().map(row -> new Membership((GroupMember) row[0], (User) row[1])).toList(),
                count("groupId", groupId), request);
    }
}
