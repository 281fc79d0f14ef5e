package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.GroupUpstreamRepository;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.Upstream;
import io.depproxy.controlplane.domain.UpstreamRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The instance's upstreams, managed by instance administrators. A name is what a pull writes as the first image
 * component ({@code …/containers/ghcr.io/org/tool:1.2}), so it must read as a registry host to container clients:
 * lowercase DNS labels with a dot, or {@code localhost}. The secret is write-only and sealed at rest; username and
 * secret are set together, both empty to clear them. The default upstream follows the environment and only its
 * revalidation window and {@code open_to_all_groups} may be changed here.
 * <p>
 * {@code open_to_all_groups}: whether every group may pull from the upstream by name, with its credentials. A new
 * upstream is open when it has no credentials (it grants nothing a client could not get itself) and closed when it
 * has some, unless the request says otherwise; giving credentials to an upstream that had none closes it too, unless
 * the same request keeps it open. Closed, only groups whose list names it use it (an administrator adds it there).
 */
@ApplicationScoped
public class UpstreamService {
    static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:-+[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-+[a-z0-9]+)*)+|localhost");
    static final Pattern PREFIX = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    static final int MAX_NAME = 255;
    /** How many of the groups still listing an upstream a refused deletion names. */
    static final int NAMED_GROUPS = 10;

    @Inject
    UpstreamRepository upstreams;
    @Inject
    GroupUpstreamRepository groupUpstreams;
    @Inject
    GroupRepository groupRows;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    GroupPermissions permissions;
    @Inject
    UpstreamCatalog catalog;
    @Inject
    OutboundDestinations destinations;

    /** A creation or change; null leaves a value as it is (or unset on creation). */
    public record UpstreamChange(String name, String url, String username, String secret, String singleNamePrefix,
                                 Integer manifestRevalidateAfter, Boolean openToAllGroups) {
    }

    @Transactional
    public Page<Upstream> list(ApiCaller caller, PageRequest page) {
        permissions.requireAdmin(caller);
        return upstreams.page(page);
    }

    @Transactional
    public Upstream get(ApiCaller caller, long id) {
        permissions.requireAdmin(caller);
        return find(id);
    }

    @Transactional
    public Upstream create(ApiCaller caller, UpstreamChange change) {
        permissions.requireAdmin(caller);
        if (change.name() == null) {
            throw ApiException.missing("name");
        }
        if (change.url() == null) {
            throw ApiException.missing("url");
        }
        Upstream upstream = new Upstream();
        apply(upstream, change);
        upstream.setOpenToAllGroups(change.openToAllGroups() != null ? change.openToAllGroups()
                : change.username() == null || change.username().isBlank());
        upstreams.persistAndFlush(upstream);
        setCredentials(upstream, change);
        catalog.invalidate();
        return upstream;
    }

    @Transactional
    public Upstream update(ApiCaller caller, long id, UpstreamChange change) {
        permissions.requireAdmin(caller);
        Upstream upstream = find(id);
        if (upstream.isDefaultUpstream() && (change.name() != null || change.url() != null
                || change.username() != null || change.secret() != null || change.singleNamePrefix() != null)) {
            throw ApiException.invalid("the default upstream is configured by DP_UPSTREAM_URL, DP_UPSTREAM_USERNAME,"
                    + " DP_UPSTREAM_PASSWORD and DP_UPSTREAM_SINGLE_NAME_PREFIX; only manifest_revalidate_after"
                    + " and open_to_all_groups may be changed here");
        }
        boolean gainsCredentials = upstream.getUsername() == null && change.username() != null
                && !change.username().isBlank();
        apply(upstream, change);
        if (change.openToAllGroups() != null) {
            upstream.setOpenToAllGroups(change.openToAllGroups());
        } else if (gainsCredentials) {
            upstream.setOpenToAllGroups(false);
        }
        setCredentials(upstream, change);
        catalog.invalidate();
        return upstream;
    }

    @Transactional
    public void delete(ApiCaller caller, long id) {
        permissions.requireAdmin(caller);
        Upstream upstream = find(id);
        if (upstream.isDefaultUpstream()) {
            throw ApiException.conflict("the default upstream (DP_UPSTREAM_URL) cannot be deleted");
        }
        long groups = groupUpstreams.groupsUsing(id);
        if (groups > 0) {
            throw ApiException.conflict("upstream " + upstream.getName() + " is in the upstream list of " + groups
                    + (groups == 1 ? " group" : " groups") + " (" + groupPaths(id, groups)
                    + "); remove it from them first");
        }
        upstreams.delete(upstream);
        catalog.invalidate();
    }

    /** The full paths of the first groups listing the upstream, for a refusal that names them. */
    private String groupPaths(long upstreamId, long count) {
        List<String> paths = groupUpstreams.groupIdsUsing(upstreamId, NAMED_GROUPS).stream()
                .map(groupId -> groupRows.findByIdOptional(groupId).map(Group::getFullPath).orElse("#" + groupId))
                .toList();
        return String.join(", ", paths) + (count > paths.size() ? " and " + (count - paths.size()) + " more" : "");
    }

    Upstream find(long id) {
        return upstreams.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Upstream"));
    }

    private void apply(Upstream upstream, UpstreamChange change) {
        if (change.name() != null) {
            String name = change.name().trim();
            if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
                throw ApiException.invalid("name must look like a registry host (lowercase, with a dot, as ghcr.io),"
                        + " or be localhost");
            }
            Optional<Upstream> other = upstreams.findByName(name);
            if (other.isPresent() && !other.get().getId().equals(upstream.getId())) {
                throw ApiException.conflict("name has already been taken");
            }
            upstream.setName(name);
        }
        if (change.url() != null) {
            String url = UpstreamSettings.baseUrlOf(change.url()).filter(u -> u.length() <= 2048).orElseThrow(() ->
                    ApiException.invalid("url must be an absolute http or https URL without query or user info"));
            try {
                destinations.checkConfigurable(url);
            } catch (OutboundRefused e) {
                throw ApiException.badRequest("url points at an address no upstream may use: " + e.reason());
            }
            upstream.setUrl(url);
            if (change.singleNamePrefix() == null && upstream.getId() == null) {
                upstream.setSingleNamePrefix(UpstreamSettings.singleNamePrefix(url, Optional.empty()));
            }
        }
        if (change.singleNamePrefix() != null) {
            String prefix = change.singleNamePrefix().trim().replaceAll("^/+|/+$", "");
            if (!prefix.isEmpty() && (prefix.length() > MAX_NAME || !PREFIX.matcher(prefix).matches())) {
                throw ApiException.invalid("single_name_prefix must be one image name component, as library");
            }
            upstream.setSingleNamePrefix(prefix);
        }
        if (change.manifestRevalidateAfter() != null) {
            upstream.setManifestRevalidateAfter(change.manifestRevalidateAfter() == 0 ? null
                    : change.manifestRevalidateAfter());
        }
    }

    /** Needs the row's id (the secret is bound to it). */
    private void setCredentials(Upstream upstream, UpstreamChange change) {
        Credentials.validate(change.username(), change.secret(), "username");
        if (change.username() == null) {
            return;
        }
        if (change.username().isBlank()) {
            upstream.setUsername(null);
            upstream.setEncryptedSecret(null);
        } else {
            upstream.setUsername(change.username().trim());
            upstream.setEncryptedSecret(cipher.encrypt(UpstreamCredentialCipher.upstream(upstream.getId()),
                    change.secret()));
        }
    }
}
