package io.depproxy.controlplane.settings;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import io.depproxy.controlplane.domain.ImageTtlPolicyRepository;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.upstream.Credentials;
import io.depproxy.controlplane.upstream.UpstreamCredentialCipher;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * A group's dependency proxy settings and TTL policy: members read them, owners change them, except
 * {@code anonymous_pull}, which only an instance administrator changes: it lets anyone who reaches the registry port
 * pull through the group, with the upstream credentials the group may use. The upstream secret is write-only and
 * stored encrypted ({@link UpstreamCredentialCipher}); identity and secret are set together, and both empty clears
 * them. Any write re-encrypts a secret still sealed under an older key.
 */
@ApplicationScoped
public class DependencyProxySettingsService {
    /** Why an owner may not change {@code anonymous_pull} (the API's 403 and the settings page's explanation). */
    public static final String ANONYMOUS_PULL_IS_ADMINS = "only an instance administrator may change anonymous_pull:"
            + " it lets anyone who can reach the registry pull through this group with its upstream credentials";

    @Inject
    GroupPermissions permissions;
    @Inject
    GroupSettingRepository settings;
    @Inject
    ImageTtlPolicyRepository policies;
    @Inject
    UpstreamCredentialCipher cipher;

    /** A settings change; null leaves a value as it is. */
    public record SettingsChange(Boolean enabled, Integer manifestRevalidateAfter, String identity, String secret,
                                 Boolean anonymousPull) {
    }

    @Transactional
    public GroupSetting settings(ApiCaller caller, String groupId) {
        return setting(permissions.require(caller, groupId, GroupMember.GUEST).getId());
    }

    /** 403 when a caller other than an instance administrator would change {@code anonymous_pull}. */
    @Transactional
    public GroupSetting updateSettings(ApiCaller caller, String groupId, SettingsChange change) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        if (change.anonymousPull() != null && !caller.admin()
                && change.anonymousPull() != setting(group.getId()).isAnonymousPull()) {
            throw ApiException.forbidden(ANONYMOUS_PULL_IS_ADMINS);
        }
        return apply(group.getId(), change);
    }

    /** The change, once the caller's right to it was checked (in the caller's transaction). */
    private GroupSetting apply(long groupId, SettingsChange change) {
        GroupSetting setting = setting(groupId);
        if (change.manifestRevalidateAfter() != null && change.manifestRevalidateAfter() < 0) {
            throw ApiException.invalid("manifest_revalidate_after must not be negative");
        }
        Credentials.validate(change.identity(), change.secret(), "identity");
        if (change.enabled() != null) {
            setting.setEnabled(change.enabled());
        }
        if (change.manifestRevalidateAfter() != null) {
            setting.setManifestRevalidateAfter(change.manifestRevalidateAfter());
        }
        if (change.anonymousPull() != null) {
            setting.setAnonymousPull(change.anonymousPull());
        }
        if (change.identity() != null && change.identity().isBlank()) {
            setting.setIdentity(null);
            setting.setEncryptedSecret(null);
        } else if (change.identity() != null) {
            setting.setIdentity(change.identity().trim());
            setting.setEncryptedSecret(cipher.encrypt(groupId, change.secret()));
        } else if (cipher.needsReseal(setting.getEncryptedSecret())) {
            resealQuietly(setting);
        }
        return setting;
    }

    @Transactional
    public ImageTtlPolicy ttlPolicy(ApiCaller caller, String groupId) {
        return policy(permissions.require(caller, groupId, GroupMember.GUEST).getId());
    }

    /** {@code ttl}: days, at least 1; null leaves a value as it is. */
    @Transactional
    public ImageTtlPolicy updateTtlPolicy(ApiCaller caller, String groupId, Boolean enabled, Integer ttl) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        return applyTtlPolicy(group.getId(), enabled, ttl);
    }

    /** The policy change, once the caller's right to it was checked (in the caller's transaction). */
    private ImageTtlPolicy applyTtlPolicy(long groupId, Boolean enabled, Integer ttl) {
        if (ttl != null && ttl < 1) {
            throw ApiException.invalid("ttl must be a number of days greater than 0");
        }
        ImageTtlPolicy policy = policy(groupId);
        if (enabled != null) {
            policy.setEnabled(enabled);
        }
        if (ttl != null) {
            policy.setTtl(ttl);
        }
        return policy;
    }

    /** A write moves a secret sealed under the internal secret to the encryption key; an unreadable one stays. */
    private void resealQuietly(GroupSetting setting) {
        try {
            setting.setEncryptedSecret(cipher.reseal(setting.getGroupId(), setting.getEncryptedSecret()));
        } catch (IllegalArgumentException e) {
            Log.warnf("group %d: %s; left as it is", setting.getGroupId(), e.getMessage());
        }
    }

    private GroupSetting setting(long groupId) {
        return settings.findOrCreate(groupId);
    }

    private ImageTtlPolicy policy(long groupId) {
        return policies.findByIdOptional(groupId).orElseGet(() -> {
            ImageTtlPolicy created = ImageTtlPolicy.defaultsFor(groupId);
            policies.persist(created);
            return created;
        });
    }
}
