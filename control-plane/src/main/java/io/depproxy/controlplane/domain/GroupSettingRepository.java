package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class GroupSettingRepository implements PanacheRepository<GroupSetting> {

    public Optional<GroupSetting> findByGroupId(long groupId) {
        return find("groupId", groupId).firstResultOptional();
    }

    /** The group's settings, created with the defaults (proxy enabled) when it has none yet. */
    public GroupSetting findOrCreate(long groupId) {
        return findByGroupId(groupId).orElseGet(() -> {
            GroupSetting created = GroupSetting.enabledFor(groupId);
            persist(created);
            return created;
        });
    }

    /** Up to {@code limit} settings whose upstream secret is not stored with {@code currentPrefix}. */
    public List<GroupSetting> withSecretNotPrefixed(String currentPrefix, int limit) {
        return find("encryptedSecret is not null and encryptedSecret not like ?1 order by id", currentPrefix + "%")
                .page(0, limit).list();
    }

    /** Replaces the stored secret only if it is still {@code expected} (another replica may have resealed it). */
    public boolean replaceSecret(long settingId, String expected, String replacement) {
        return update("encryptedSecret = ?1 where id = ?2 and encryptedSecret = ?3", replacement, settingId,
                expected) == 1;
    }
}
