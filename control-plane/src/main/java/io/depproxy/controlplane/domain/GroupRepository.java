package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class GroupRepository implements PanacheRepository<Group> {

    /** Case-insensitive, as GitLab's {@code find_by_full_path}. */
    public Optional<Group> findByFullPath(String fullPath) {
        return find("lower(fullPath) = lower(?1)", fullPath).firstResultOptional();
    }

    /** The group's id followed by its ancestors' ids, nearest first. */
    @SuppressWarnings("unchecked")
    public List<Long> selfAndAncestorIds(long groupId) {
        List<Number> ids = getEntityManager().createNativeQuery("""
                WITH RECURSIVE chain(id, parent_id, depth) AS (
                    SELECT id, parent_id, 0 FROM namespaces WHERE id = ?1
                    UNION ALL
                    SELECT n.id, n.parent_id, c.depth + 1 FROM namespaces n JOIN chain c ON n.id = c.parent_id
                    WHERE c.depth < 100)
                SELECT id FROM chain ORDER BY depth""")
                .setParameter(1, groupId)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }
}
