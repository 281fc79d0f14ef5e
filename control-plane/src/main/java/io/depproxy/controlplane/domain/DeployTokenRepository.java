package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class DeployTokenRepository implements PanacheRepository<DeployToken> {

    public Optional<DeployToken> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public Optional<DeployToken> findInGroup(long groupId, long tokenId) {
        return find("groupId = ?1 and id = ?2", groupId, tokenId).firstResultOptional();
    }

    public Page<DeployToken> pageOfGroup(long groupId, PageRequest request) {
        PanacheQuery<DeployToken> query = find("groupId", Sort.by("id"), groupId);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }
}
