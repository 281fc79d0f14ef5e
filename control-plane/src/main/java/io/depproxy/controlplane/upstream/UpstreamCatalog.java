package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.Upstream;
import io.depproxy.controlplane.domain.UpstreamRepository;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instance's upstreams as pulls use them (secrets decrypted), read through a per-replica cache of
 * {@code DP_DECISION_CACHE_TTL}: a change made on another replica is seen within that bound, one made here at once.
 */
@ApplicationScoped
public class UpstreamCatalog {
    @Inject
    UpstreamRepository upstreams;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    HotPathConfig hotPath;

    private ShortLivedCache<Boolean, List<UpstreamEndpoint>> snapshot;

    @PostConstruct
    void createCache() {
        snapshot = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), 1);
    }

    public List<UpstreamEndpoint> all() {
        return snapshot.get(Boolean.TRUE, key -> Optional.of(upstreams.all().stream().map(this::endpoint).toList()))
                .orElseThrow();
    }

    public Optional<UpstreamEndpoint> byId(long id) {
        return all().stream().filter(upstream -> upstream.id() == id).findFirst();
    }

    /** The upstreams every group may pull from by name. */
    public List<UpstreamEndpoint> openToAllGroups() {
        return all().stream().filter(UpstreamEndpoint::openToAllGroups).toList();
    }

    /** The default upstream (DP_UPSTREAM_URL); present once the start-up sync ran. */
    public UpstreamEndpoint defaultUpstream() {
        return all().stream().filter(UpstreamEndpoint::isDefault).findFirst()
                .orElseThrow(() -> new IllegalStateException("the default upstream is not stored yet"));
    }

    /**
     * The upstream a pull names with the first component of its image ({@code ghcr.io/org/tool}): the one with that
     * name, else the only one on that host. Empty when the component names none (it is then part of the image), and
     * always for a component without a dot other than {@code localhost}: container clients read only those as
     * registry hosts, so {@code bitnami/redis} stays a Docker Hub name whatever the upstreams are called.
     */
    public Optional<UpstreamEndpoint> named(String component) {
        String wanted = component.toLowerCase(Locale.ROOT);
        if (!wanted.contains(".") && !wanted.equals("localhost")) {
            return Optional.empty();
        }
        List<UpstreamEndpoint> all = all();
        Optional<UpstreamEndpoint> byName = all.stream().filter(u -> u.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
        if (byName.isPresent()) {
            return byName;
        }
        List<UpstreamEndpoint> onHost = all.stream()
                .filter(u -> URI.create(u.baseUrl()).getHost().toLowerCase(Locale.ROOT).equals(wanted)).toList();
        return onHost.size() == 1 ? Optional.of(onHost.get(0)) : Optional.empty();
    }

    /** This replica sees a change it just made at once. */
    public void invalidate() {
        snapshot.remove(Boolean.TRUE);
    }

    private UpstreamEndpoint endpoint(Upstream upstream) {
        return new UpstreamEndpoint(upstream.getId(), upstream.getName(), upstream.getUrl(),
                upstream.getSingleNamePrefix(), credentials(upstream), upstream.getManifestRevalidateAfter(),
                upstream.isDefaultUpstream(), upstream.isOpenToAllGroups());
    }

    /** An upstream secret that cannot be decrypted (another DP_ENCRYPTION_KEY) leaves the upstream anonymous. */
    private UpstreamCredentials credentials(Upstream upstream) {
        if (upstream.getUsername() == null || upstream.getEncryptedSecret() == null) {
            return null;
        }
        try {
            return new UpstreamCredentials(upstream.getUsername(),
                    cipher.decrypt(UpstreamCredentialCipher.upstream(upstream.getId()), upstream.getEncryptedSecret()));
        } catch (IllegalArgumentException e) {
            Log.errorf("upstream %s: %s; pulling from it anonymously", upstream.getName(), e.getMessage());
            return null;
        }
    }
}
