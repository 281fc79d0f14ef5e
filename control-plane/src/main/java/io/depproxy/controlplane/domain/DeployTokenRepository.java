package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class DeployTokenRepository implements PanacheRepository<DeployToken> {

    public Optional<DeployToken> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
