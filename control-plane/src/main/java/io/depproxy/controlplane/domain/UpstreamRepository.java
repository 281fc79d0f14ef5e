package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class UpstreamRepository implements PanacheRepository<Upstream> {

    public Optional<Upstream> findDefault() {
        return find("defaultUpstream", true).firstResultOptional();
    }

    /** Names are unique case-insensitively. */
    public Optional<Upstream> findByName(String name) {
        return find("lower(name) = ?1", name.toLowerCase()).firstResultOptional();
    }

    public List<Upstream> all() {
        return listAll(Sort.by("id"));
    }

    public Page<Upstream> page(PageRequest request) {
        PanacheQuery<Upstream> query = findAll(Sort.by("id"));
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }
}
