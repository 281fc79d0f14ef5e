package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PersonalAccessTokenRepository implements PanacheRepository<PersonalAccessToken> {

    public Optional<PersonalAccessToken> findByDigest(String tokenDigest) {
        return find("tokenDigest", tokenDigest).firstResultOptional();
    }

    public Optional<PersonalAccessToken> findByUserAndName(long userId, String name) {
        return find("userId = ?1 and name = ?2 order by id", userId, name).firstResultOptional();
    }
}
