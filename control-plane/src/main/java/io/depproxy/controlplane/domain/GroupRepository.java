package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class GroupRepository implements PanacheRepository<Group> {
    /** Groups a user is a member of, and all their subgroups (membership is inherited downwards). */
    private static final String VISIBLE = """
            WITH RECURSIVE visible(id) AS (
                SELECT group_id FROM group_members WHERE user_id = ?1
                UNION
                SELECT n.id FROM namespaces n JOIN visible v ON n.parent_id = v.id)
            """;
    private static final String SEARCH = " AND (?2 = '' OR strpos(lower(n.name), lower(?2)) > 0"
            + " OR strpos(lower(n.path), lower(?2)) > 0)";

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

    /** Every group, by name; {@code search} (may be empty) matches name or path. */
    public Page<Group> pageAll(String search, PageRequest request) {
        PanacheQuery<Group> query = search.isEmpty() ? findAll(Sort.by("name").and("id"))
                : find("locate(lower(?1), lower(name)) > 0 or locate(lower(?1), lower(path)) > 0",
                Sort.by("name").and("id"), search);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** The direct subgroups of a group, by name. */
    public Page<Group> pageChildren(long parentId, PageRequest request) {
        PanacheQuery<Group> query = find("parentId", Sort.by("name").and("id"), parentId);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** The groups {@code userId} can see (member of the group or an ancestor), by name. */
    @SuppressWarnings("unchecked")
    public Page<Group> pageVisibleTo(long userId, String search, PageRequest request) {
        List<Group> groups = getEntityManager().createNativeQuery(VISIBLE
                        + "SELECT n.* FROM namespaces n WHERE n.id IN (SELECT id FROM visible)" + SEARCH
                        + " ORDER BY n.name, n.id LIMIT ?3 OFFSET ?4", Group.class)
                .setParameter(1, userId).setParameter(2, search)
                .setParameter(3, request.perPage()).setParameter(4, request.offset())
                .getResultList();
        Number total = (Number) getEntityManager().createNativeQuery(VISIBLE
                        + "SELECT count(*) FROM namespaces n WHERE n.id IN (SELECT id FROM visible)" + SEARCH)
                .setParameter(1, userId).setParameter(2, search).getSingleResult();
        return new Page<>(groups, total.longValue(), request);
    }

    /**
     * After a group's full path changed from {@code oldFullPath} to {@code newFullPath}: every descendant's full path
     * gets the new prefix. Descendants are found by parent links, never by pattern ({@code _} is a path character).
     */
    public int replaceDescendantsFullPathPrefix(long groupId, String oldFullPath, String newFullPath) {
        return getEntityManager().createNativeQuery("""
                WITH RECURSIVE subtree(id, depth) AS (
                    SELECT id, 0 FROM namespaces WHERE id = ?1
                    UNION ALL
                    SELECT n.id, s.depth + 1 FROM namespaces n JOIN subtree s ON n.parent_id = s.id WHERE s.depth < 100)
                UPDATE namespaces SET full_path = ?3 || substr(full_path, length(?2) + 1), updated_at = now()
                WHERE id IN (SELECT id FROM subtree WHERE depth > 0)""")
                .setParameter(1, groupId).setParameter(2, oldFullPath).setParameter(3, newFullPath)
                .executeUpdate();
    }
}
