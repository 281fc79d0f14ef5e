package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class UserRepository implements PanacheRepository<User> {

    public Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /** All users by id, or the one with {@code username} (GitLab's {@code ?username=} filter). */
    public Page<User> page(String username, PageRequest request) {
        PanacheQuery<User> query = username == null ? findAll(Sort.by("id"))
                : find("lower(username) = lower(?1)", Sort.by("id"), username);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }
}
