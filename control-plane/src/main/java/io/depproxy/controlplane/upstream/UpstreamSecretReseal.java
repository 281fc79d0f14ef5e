package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * At start-up: upstream secrets still sealed under the internal secret (written before {@code DP_ENCRYPTION_KEY}
 * existed) are re-encrypted under the encryption key, so an upgrade loses nothing and afterwards the accelerator's
 * secret opens none of them. One short transaction per batch; safe when replicas start at once (compare-and-set).
 */
@ApplicationScoped
public class UpstreamSecretReseal {
    private static final int BATCH = 100;

    @Inject
    GroupSettingRepository settings;
    @Inject
    UpstreamCredentialCipher cipher;

    void onStart(@Observes StartupEvent event) {
        int resealed = resealAll();
        if (resealed > 0) {
            Log.infof("re-encrypted %d upstream secrets under DP_ENCRYPTION_KEY", resealed);
        }
    }

    /** Returns how many secrets were re-encrypted; one that cannot be decrypted is left as it is (and logged). */
    public int resealAll() {
        Set<Long> unreadable = new HashSet<>();
        int resealed = 0;
        while (true) {
            List<GroupSetting> batch = QuarkusTransaction.requiringNew().call(() ->
                    settings.withSecretNotPrefixed(UpstreamCredentialCipher.CURRENT_PREFIX, BATCH + unreadable.size()));
            List<GroupSetting> todo = batch.stream().filter(s -> !unreadable.contains(s.getId())).toList();
            if (todo.isEmpty()) {
                return resealed;
            }
            for (GroupSetting setting : todo) {
                String stored = setting.getEncryptedSecret();
                String replacement;
                try {
                    replacement = cipher.reseal(setting.getGroupId(), stored);
                } catch (IllegalArgumentException e) {
                    Log.errorf("group %d: %s; it is left as it is", setting.getGroupId(), e.getMessage());
                    unreadable.add(setting.getId());
                    continue;
                }
                if (QuarkusTransaction.requiringNew().call(() ->
                        settings.replaceSecret(setting.getId(), stored, replacement))) {
                    resealed++;
                }
            }
        }
    }
}
