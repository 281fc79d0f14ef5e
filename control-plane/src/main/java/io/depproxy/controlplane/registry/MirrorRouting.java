package io.depproxy.controlplane.registry;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.upstream.GroupUpstreams;
import io.depproxy.controlplane.upstream.UpstreamCatalog;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mirror mode: the root registry routes ({@code /v2/<image>/manifests|blobs/<ref>}, {@code /v2/<image>/tags/list},
 * {@code /v2/<image>/referrers/<digest>}),
 * as containerd's {@code hosts.toml}, Docker's {@code registry-mirrors} and podman's mirrors ask, answered for the
 * group {@code DP_MIRROR_GROUP}. A root request becomes the group pull that names the same thing, so it takes the
 * one cache path (records, coalescing, verification, statistics, TTL): without {@code ns} the image as it is (routed
 * by name or by the group's order, so the default upstream unless the group has another list); with containerd's
 * {@code ?ns=<registry host>}, the image prefixed with the name of the upstream on that host. Only upstreams the
 * mirror group may use count for {@code ns} (its list, or open to all groups): any other answers as a registry this
 * mirror has no upstream for.
 */
@ApplicationScoped
public class MirrorRouting {
    private static final String ROOT = "/v2/";
    /** A registry host as image references write it: a DNS name or IPv4 address, and a port. */
    private static final Pattern REGISTRY_HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?");
    private static final Set<String> DOCKER_HUB_HOSTS = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
    private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

    @Inject
    ControlPlaneConfig config;
    @Inject
    UpstreamCatalog catalog;

    /** A root request as the mirror group's request, and the root repository path its tag-list links are on. */
    public record MirrorRequest(RegistryRequest request, String publicRepositoryPath, String ns) {
    }

    /** The mirror group's full path, when this instance is a mirror. */
    public Optional<String> group() {
        return config.mirrorGroup().map(String::trim).filter(group -> !group.isEmpty());
    }

    /** A raw {@code /v2/…} path that names no group ({@code /v2/} itself excepted), when this instance is a mirror. */
    public boolean isMirrorRequest(String rawPath) {
        return group().isPresent() && rawPath != null && rawPath.startsWith(ROOT) && rawPath.length() > ROOT.length()
                && !rawPath.contains(RegistryRequest.MARKER);
    }

    /**
     * The group request a root request means. 400 NAME_INVALID for a malformed path or {@code ns}; 404 NAME_UNKNOWN
     * when {@code ns} names a registry for which the mirror group ({@code upstreams}: its upstreams) may use no
     * upstream here.
     */
    public MirrorRequest map(String rawPath, String ns, GroupUpstreams upstreams) {
        String rest = rawPath.substring(ROOT.length());
        int kind = Math.max(Math.max(rest.lastIndexOf("/manifests/"), rest.lastIndexOf("/blobs/")),
                Math.max(rest.lastIndexOf("/referrers/"),
                        rest.endsWith("/tags/list") ? rest.length() - "/tags/list".length() : -1));
        if (kind <= 0) {
            throw RegistryException.nameInvalid("path must be /v2/<image>/manifests/<reference>, "
                    + "/v2/<image>/blobs/<digest>, /v2/<image>/tags/list or /v2/<image>/referrers/<digest>");
        }
        String image = rest.substring(0, kind);
        String prefix = ns == null ? "" : namePrefix(ns, upstreams);
        RegistryRequest request = RegistryRequest.parse(RegistryRequest.groupPath(group().orElseThrow(), prefix + rest));
        return new MirrorRequest(request, ROOT + image, ns);
    }

    /** The next tag page's link on the root path the client asked on, {@code ns} kept. */
    public static String tagsLink(MirrorRequest mirror, String nextQuery) {
        String ns = mirror.ns() == null ? "" : "&ns=" + URLEncoder.encode(mirror.ns(), StandardCharsets.UTF_8);
        return mirror.publicRepositoryPath() + "/tags/list?" + nextQuery + ns;
    }

    /**
     * The first image component (with its slash) that routes a group pull by name to the upstream on {@code ns}: its
     * name, else its host when that alone picks it; none for a default upstream that has neither (a host without a
     * dot, {@code registry:5000}), which the group's order then reaches. Docker Hub's hosts are one registry.
     */
    private String namePrefix(String ns, GroupUpstreams upstreams) {
        if (!REGISTRY_HOST.matcher(ns).matches()) {
            throw RegistryException.nameInvalid("ns must be a registry host, such as docker.io or ghcr.io");
        }
        String wanted = ns.toLowerCase(Locale.ROOT);
        List<UpstreamEndpoint> all = catalog.all().stream().filter(upstreams::mayUse).toList();
        UpstreamEndpoint upstream = all.stream().filter(u -> u.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .or(() -> unique(all.stream().filter(u -> authority(u).equals(wanted)).toList()))
                .or(() -> DOCKER_HUB_HOSTS.contains(wanted)
                        ? unique(all.stream().filter(u -> host(u).equals(DOCKER_HUB_API_HOST)).toList())
                        : Optional.empty())
                .orElseThrow(() -> RegistryException.nameUnknown("this mirror has no upstream for registry " + ns));
        for (String candidate : List.of(upstream.name().toLowerCase(Locale.ROOT), host(upstream))) {
            if (catalog.named(candidate).filter(named -> named.id() == upstream.id()).isPresent()) {
                return candidate + "/";
            }
        }
        if (upstream.isDefault()) {
            return "";
        }
        Log.warnf("upstream %s serves %s but cannot be named in an image; give it a name with a dot (its host) to"
                + " mirror it", upstream.name(), ns);
        throw RegistryException.nameUnknown("the upstream for registry " + ns + " cannot be named in an image");
    }

    private static Optional<UpstreamEndpoint> unique(List<UpstreamEndpoint> upstreams) {
        return upstreams.size() == 1 ? Optional.of(upstreams.get(0)) : Optional.empty();
    }

    private static String host(UpstreamEndpoint upstream) {
        return URI.create(upstream.baseUrl()).getHost().toLowerCase(Locale.ROOT);
    }

    /** {@code host:port} as an image reference writes it: the port only when the URL has one. */
    private static String authority(UpstreamEndpoint upstream) {
        URI uri = URI.create(upstream.baseUrl());
        return uri.getPort() < 0 ? host(upstream) : host(upstream) + ":" + uri.getPort();
    }
}
