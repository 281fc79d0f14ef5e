package io.depproxy.controlplane.policy;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.GroupUpstreamService;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * A group's pull policy as the admin API and page read and change it: members read it and ask what an image would
 * get (the dry run), owners replace or remove the group's own. The dry run judges exactly as a pull would
 * ({@link PullPolicy}), with the group's upstreams, without asking any upstream.
 *
 * <p>Writing is also bounded from above: a policy set on a group must hold below it, so an owner of a subgroup only may
 * not replace or remove the subgroup's own policy (which would switch off the ancestor's rules for everything pulled
 * through it) while an ancestor has a policy of its own; see {@link #requireWriter}. This is the one place policy
 * writes are authorised: the API and the settings page both come here.
 */
@ApplicationScoped
public class PolicySettings {
    private static final String DEFAULT_TAG = "latest";

    @Inject
    GroupPermissions permissions;
    @Inject
    PolicyService policies;
    @Inject
    PullPolicy pullPolicy;
    @Inject
    GroupUpstreamService groupUpstreams;
    @Inject
    UpstreamCatalog catalog;

    /** The policy that applies to group {@code groupPath}. */
    public record Shown(GroupPolicy policy, String groupPath) {
    }

    /** What a pull of {@code reference} would get. */
    public record Checked(String reference, PullPolicy.Verdict verdict) {
    }

    public Shown view(ApiCaller caller, String groupId) {
        return shown(permissions.require(caller, groupId, GroupMember.GUEST));
    }

    /**
     * Replaces the group's own policy (owners). {@code change} is read once the caller may: a caller who may not
     * learns nothing from the checks of what it sent.
     */
    public Shown replace(ApiCaller caller, String groupId, Supplier<PolicyChange> change) {
        Group group = requireWriter(caller, groupId);
        PolicyChange checked = change.get();
        policies.replace(group.getId(), checked.rules(), checked.signatures());
        return shown(group);
    }

    /** Removes the group's own policy (owners): it inherits its ancestors' again. */
    public Shown remove(ApiCaller caller, String groupId) {
        Group group = requireWriter(caller, groupId);
        policies.remove(group.getId());
        return shown(group);
    }

    /**
     * The group, if the caller may write its policy: an owner of it (or an administrator) who is also an owner of every
     * ancestor with an own policy ({@link AncestorPolicyRefusal} otherwise). Ownership is inherited downwards (an
     * owner of a group owns its subgroups), so owning the outermost such ancestor means owning all of them: that one
     * check is the whole rule. Ancestors without a policy of their own set nothing here, so they constrain nothing.
     */
    private Group requireWriter(ApiCaller caller, String groupId) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        if (!caller.admin()) {
            policies.outermostAncestorWithPolicy(group.getId())
                    .filter(ancestor -> !permissions.has(caller, ancestor, GroupMember.OWNER))
                    .ifPresent(ancestor -> {
                        throw new AncestorPolicyRefusal(ancestor.getFullPath(), group.getFullPath());
                    });
        }
        return group;
    }

    /** The dry run: 400 when {@code image} is not an image reference. */
    public Checked check(ApiCaller caller, String groupId, Supplier<String> requested) {
        Group group = permissions.require(caller, groupId, GroupMember.GUEST);
        String image = requested.get();
        if (image == null || image.isBlank()) {
            throw ApiException.missing("image");
        }
        String text = image.trim();
        String name = withoutRegistryHost(withoutGroupPrefix(text, group.getFullPath()));
        String reference = DEFAULT_TAG;
        int at = name.indexOf('@');
        int colon = name.lastIndexOf(':');
        if (at >= 0) {
            reference = name.substring(at + 1);
            name = name.substring(0, at);
        } else if (colon > name.lastIndexOf('/')) {
            reference = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        try {
            RegistryRequest.parse(RegistryRequest.groupPath(group.getFullPath(), name + "/manifests/" + reference));
        } catch (RegistryException e) {
            throw ApiException.badRequest("image is not an image reference (name:tag or name@sha256:…): "
                    + printable(text));
        }
        PullTarget target = new PullTarget(group.getId(), group.getFullPath(), 0,
                groupUpstreams.forPull(group.getId(), null));
        try {
            return new Checked(name + (Digests.isSha256(reference) ? "@" : ":") + reference,
                    pullPolicy.judge(name, Digests.isSha256(reference) ? null : reference, target));
        } catch (RegistryException e) {
            throw ApiException.invalid("image: " + e.getMessage());
        }
    }

    private Shown shown(Group group) {
        return new Shown(policies.effective(group.getId()), group.getFullPath());
    }

    /** {@code <group>/dependency_proxy/containers/nginx} (the name a client pulls) → {@code nginx}. */
    private static String withoutGroupPrefix(String text, String groupPath) {
        String prefix = groupPath + RegistryRequest.MARKER;
        int marker = text.indexOf(prefix);
        return marker >= 0 ? text.substring(marker + prefix.length()) : text;
    }

    /**
     * {@code docker.io/library/nginx} → {@code library/nginx}: a first component that reads as a registry host (a
     * dot, a port, or {@code localhost}) and names no upstream is where the user pulls from, not part of the name.
     */
    private String withoutRegistryHost(String name) {
        int slash = name.indexOf('/');
        if (slash <= 0) {
            return name;
        }
        String first = name.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host && catalog.named(first).isEmpty() ? name.substring(slash + 1) : name;
    }

    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
