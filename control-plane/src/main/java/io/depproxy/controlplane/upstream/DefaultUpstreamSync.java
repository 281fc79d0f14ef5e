package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.domain.Upstream;
import io.depproxy.controlplane.domain.UpstreamRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Objects;

/**
 * At start-up the default upstream row takes what the environment says ({@code DP_UPSTREAM_URL}, its credentials
 * and single-name prefix), so an operator keeps configuring it as before. It is named after its host
 * ({@code docker.io} for Docker Hub) unless another upstream already has that name. Replicas starting together may
 * race to create it: the unique index keeps one, and the loser retries the update. It is created open to all groups
 * (as before upstreams could be closed: existing installs keep pulling by name); an administrator's later choice
 * of {@code open_to_all_groups} is kept across restarts.
 */
@ApplicationScoped
public class DefaultUpstreamSync {
    static final String DOCKER_HUB_NAME = "docker.io";

    @Inject
    UpstreamSettings settings;
    @Inject
    UpstreamRepository upstreams;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    UpstreamCatalog catalog;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        try {
            sync();
        } catch (RuntimeException raced) {
            Log.debugf("default upstream written concurrently (%s); syncing again", raced.getMessage());
            sync();
        }
        catalog.invalidate();
    }

    void sync() {
        QuarkusTransaction.requiringNew().run(() -> {
            Upstream upstream = upstreams.findDefault().orElse(null);
            boolean created = upstream == null;
            if (created) {
                upstream = new Upstream();
                upstream.setDefaultUpstream(true);
                // every group without a list pulls from it anyway; an administrator may close it afterwards
                upstream.setOpenToAllGroups(true);
                upstream.setName(freeName(preferredName(), null));
            } else if (!Objects.equals(upstream.getUrl(), settings.baseUrl())) {
                upstream.setName(freeName(preferredName(), upstream.getId()));
            }
            upstream.setUrl(settings.baseUrl());
            upstream.setSingleNamePrefix(settings.singleNamePrefix());
            upstream.setUsername(settings.username().orElse(null));
            if (created) {
                upstream.setEncryptedSecret(null);
                upstreams.persistAndFlush(upstream);
            }
            upstream.setEncryptedSecret(settings.username().isEmpty() ? null
                    : cipher.encrypt(UpstreamCredentialCipher.upstream(upstream.getId()),
                    settings.password().orElse("")));
        });
    }

    private String preferredName() {
        String host = URI.create(settings.baseUrl()).getHost().toLowerCase();
        return settings.singleNamePrefix().equals("library") && host.endsWith("docker.io") ? DOCKER_HUB_NAME : host;
    }

    /** {@code name}, or {@code name-default} when another upstream ({@code self} excepted) already has it. */
    private String freeName(String name, Long self) {
        boolean taken = upstreams.findByName(name).filter(other -> !other.getId().equals(self)).isPresent();
        return taken ? name + "-default" : name;
    }
}
