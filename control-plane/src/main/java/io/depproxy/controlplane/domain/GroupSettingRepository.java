package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class GroupSettingRepository implements PanacheRepository<GroupSetting> {

    public Optional<GroupSetting> findByGroupId(long groupId) {
        return find("groupId", groupId).firstResultOptional();
    }
}
