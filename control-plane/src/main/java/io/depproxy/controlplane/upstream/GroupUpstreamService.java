package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.depproxy.controlplane.domain.GroupUpstream;
import io.depproxy.controlplane.domain.GroupUpstreamRepository;
import io.depproxy.controlplane.domain.UpstreamRepository;
import io.depproxy.controlplane.error.ApiException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Each group's ordered upstream list with its credentials per upstream. A group without a list of its own inherits
 * its nearest ancestor's (list, credentials and fallback settings together); without any, the default upstream alone.
 * Members read the list, owners change it: they may order and remove what the group already uses and add upstreams
 * open to all groups; only an instance administrator adds another upstream, since the group then pulls with that
 * upstream's instance-wide credentials.
 */
@ApplicationScoped
public class GroupUpstreamService {
    static final int MAX_UPSTREAMS = 20;

    @Inject
    GroupRepository groups;
    @Inject
    GroupSettingRepository settings;
    @Inject
    GroupUpstreamRepository entries;
    @Inject
    UpstreamRepository upstreams;
    @Inject
    UpstreamCatalog catalog;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    GroupPermissions permissions;

    /** The list that applies to a group; {@code definedBy}: the group it comes from, null for the default. */
    public record Effective(GroupUpstreams upstreams, Long definedBy, List<GroupUpstream> entries) {
    }

    /**
     * What a pull in {@code groupId} uses. {@code legacyCredentials}: the group's settings identity/secret, which
     * stay the group's credentials for the default upstream unless its list gives others.
     */
    public GroupUpstreams forPull(long groupId, UpstreamCredentials legacyCredentials) {
        GroupUpstreams effective = effective(groupId).upstreams();
        if (legacyCredentials == null) {
            return effective;
        }
        List<UpstreamChoice> order = effective.order().stream()
                .map(choice -> choice.endpoint().isDefault() && choice.groupCredentials() == null
                        ? new UpstreamChoice(choice.endpoint(), legacyCredentials) : choice).toList();
        return new GroupUpstreams(order, effective.fallbackOnError(), effective.fallbackOnAuthError());
    }

    public Effective effective(long groupId) {
        for (long id : groups.selfAndAncestorIds(groupId)) {
            List<GroupUpstream> own = entries.ofGroup(id);
            if (!own.isEmpty()) {
                List<UpstreamChoice> order = new ArrayList<>();
                for (GroupUpstream entry : own) {
                    catalog.byId(entry.getUpstreamId()).ifPresent(upstream ->
                            order.add(new UpstreamChoice(upstream, credentials(entry))));
                }
                if (!order.isEmpty()) {
                    return new Effective(upstreams(order, id), id, own);
                }
            }
        }
        return new Effective(upstreams(List.of(new UpstreamChoice(catalog.defaultUpstream(), null)), groupId), null,
                List.of());
    }

    @Transactional
    public Effective view(ApiCaller caller, String groupId) {
        return effective(permissions.require(caller, groupId, GroupMember.GUEST).getId());
    }

    /**
     * Replaces the group's own list ({@code upstreamIds} in order; empty: inherit again). Credentials of upstreams
     * still listed are kept. {@code fallbackOnError}, {@code fallbackOnAuthError}: null leaves the setting as it is.
     */
    @Transactional
    public Effective replace(ApiCaller caller, String groupId, List<Long> upstreamIds, Boolean fallbackOnError,
                             Boolean fallbackOnAuthError) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        if (upstreamIds != null) {
            if (!caller.admin()) {
                requireUsable(group.getId(), upstreamIds);
            }
            replaceList(group.getId(), upstreamIds);
        }
        if (fallbackOnError != null) {
            settings.findOrCreate(group.getId()).setUpstreamFallbackOnError(fallbackOnError);
        }
        if (fallbackOnAuthError != null) {
            settings.findOrCreate(group.getId()).setUpstreamFallbackOnAuthError(fallbackOnAuthError);
        }
        entries.flush();
        return effective(group.getId());
    }

    /**
     * An owner's list may name what the group already uses (its list, or the inherited one) and upstreams open to all
     * groups; 403 for any other, before anything changes.
     */
    private void requireUsable(long groupId, List<Long> upstreamIds) {
        GroupUpstreams current = effective(groupId).upstreams();
        for (long id : upstreamIds) {
            Optional<UpstreamEndpoint> upstream = catalog.byId(id);
            if (upstream.isPresent() && !current.mayUse(upstream.get())) {
                throw ApiException.forbidden("only an instance administrator may add upstream " + upstream.get().name()
                        + " to a group's list: it is not open to all groups, and the group would pull with its"
                        + " instance-wide credentials");
            }
        }
    }

    /** The group's credentials for one upstream of its own list (both empty to clear them). */
    @Transactional
    public Effective setCredentials(ApiCaller caller, String groupId, long upstreamId, String identity,
                                    String secret) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        Credentials.validate(identity, secret, "identity");
        if (identity == null) {
            throw ApiException.missing("identity");
        }
        GroupUpstream entry = entries.ofGroup(group.getId()).stream()
                .filter(e -> e.getUpstreamId() == upstreamId).findFirst()
                .orElseThrow(() -> ApiException.notFound("Upstream in the group's own upstream list"));
        if (identity.isBlank()) {
            entry.setIdentity(null);
            entry.setEncryptedSecret(null);
        } else {
            entry.setIdentity(identity.trim());
            entry.setEncryptedSecret(cipher.encrypt(
                    UpstreamCredentialCipher.groupUpstream(group.getId(), upstreamId), secret));
        }
        entries.flush();
        return effective(group.getId());
    }

    private void replaceList(long groupId, List<Long> upstreamIds) {
        if (upstreamIds.size() > MAX_UPSTREAMS) {
            throw ApiException.invalid("a group lists at most " + MAX_UPSTREAMS + " upstreams");
        }
        if (new HashSet<>(upstreamIds).size() != upstreamIds.size()) {
            throw ApiException.invalid("upstream_ids lists an upstream twice");
        }
        for (long id : upstreamIds) {
            if (upstreams.findByIdOptional(id).isEmpty()) {
                throw ApiException.invalid("upstream " + id + " does not exist");
            }
        }
        List<GroupUpstream> existing = entries.ofGroup(groupId);
        for (GroupUpstream entry : existing) {
            if (!upstreamIds.contains(entry.getUpstreamId())) {
                entries.delete(entry);
            }
        }
        for (int position = 0; position < upstreamIds.size(); position++) {
            long id = upstreamIds.get(position);
            Optional<GroupUpstream> kept = existing.stream().filter(e -> e.getUpstreamId() == id).findFirst();
            if (kept.isPresent()) {
                kept.get().setPosition(position);
            } else {
                entries.persist(GroupUpstream.of(groupId, id, position));
            }
        }
    }

    /** {@code order} with the fallback settings of the group {@code settingsOf} (the one the list comes from). */
    private GroupUpstreams upstreams(List<UpstreamChoice> order, long settingsOf) {
        Optional<GroupSetting> setting = settings.findByGroupId(settingsOf);
        return new GroupUpstreams(order, setting.map(GroupSetting::isUpstreamFallbackOnError).orElse(false),
                setting.map(GroupSetting::isUpstreamFallbackOnAuthError).orElse(false));
    }

    /** Credentials that cannot be decrypted (another DP_ENCRYPTION_KEY) are skipped: the upstream's own apply. */
    private UpstreamCredentials credentials(GroupUpstream entry) {
        if (entry.getIdentity() == null || entry.getEncryptedSecret() == null) {
            return null;
        }
        try {
            return new UpstreamCredentials(entry.getIdentity(), cipher.decrypt(
                    UpstreamCredentialCipher.groupUpstream(entry.getGroupId(), entry.getUpstreamId()),
                    entry.getEncryptedSecret()));
        } catch (IllegalArgumentException e) {
            Log.errorf("group %d, upstream %d: %s; using the upstream's own credentials", entry.getGroupId(),
                    entry.getUpstreamId(), e.getMessage());
            return null;
        }
    }
}
