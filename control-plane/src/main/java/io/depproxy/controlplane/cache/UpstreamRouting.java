package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.catalog.UpstreamCatalog;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.identity.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamChoice;
import io.depproxy.controlplane.upstream.UpstreamCredentials;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which upstream a pull goes to. By name: an image whose first component names an upstream
 * ({@code ghcr.io/org/tool}) goes to that one only, as the rest of the name. Otherwise by the group's order: the
 * first upstream that has the image; a 404 (or a 401/403, which registries answer for repositories that do not
 * exist) falls through to the next, an error (5xx, 429, timeout, refused connection) does not, unless the group
 * allows it. A cached record goes back to the upstream that served it.
 */
@ApplicationScoped
public class UpstreamRouting {
    /** How long a replica remembers which upstream served an image's manifest, for the blob pulls that follow. */
    static final Duration REMEMBERED = Duration.ofMinutes(10);
    private static final int MAX_REMEMBERED = 20_000;

    @Inject
    UpstreamCatalog catalog;
    @Inject
    ManifestRepository manifests;

    private final ShortLivedCache<Image, Long> served = new ShortLivedCache<>(REMEMBERED, MAX_REMEMBERED);

    private record Image(long groupId, String image) {
    }

    /** One upstream to ask, with the repository name the image has there. */
    public record Candidate(UpstreamChoice choice, String name) {
        public UpstreamEndpoint endpoint() {
            return choice.endpoint();
        }

        public UpstreamCredentials credentials() {
            return choice.groupCredentials();
        }
    }

    /** The upstreams to try, in order. */
    public record Route(List<Candidate> candidates, boolean fallbackOnError) {
        public Candidate first() {
            return candidates.get(0);
        }

        public boolean single() {
            return candidates.size() == 1;
        }
    }

    /** The upstream that answered, with its HEAD (2xx, or the miss or error that ended the search). */
    public record Probe(Candidate candidate, UpstreamHead head) {
    }

    public Route route(String image, PullTarget target) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            Optional<UpstreamEndpoint> named = catalog.named(image.substring(0, slash));
            if (named.isPresent()) {
                UpstreamEndpoint upstream = named.get();
                return new Route(List.of(new Candidate(target.upstreams().choiceFor(upstream),
                        upstream.upstreamName(image.substring(slash + 1)))), false);
            }
        }
        return new Route(target.upstreams().order().stream()
                .map(choice -> new Candidate(choice, choice.endpoint().upstreamName(image))).toList(),
                target.upstreams().fallbackOnError());
    }

    /** The route of a record that upstream {@code upstreamId} served (null: unknown, the image's route). */
    public Route servedBy(Long upstreamId, String image, PullTarget target) {
        Route route = route(image, target);
        Optional<UpstreamEndpoint> upstream = Optional.ofNullable(upstreamId).flatMap(catalog::byId);
        if (upstream.isEmpty() || route.single() && route.first().endpoint().id() == upstreamId) {
            return route;
        }
        return new Route(List.of(new Candidate(target.upstreams().choiceFor(upstream.get()),
                upstream.get().upstreamName(image))), false);
    }

    /**
     * The route of a blob of {@code image}: the upstream that served the image's manifest when known (this replica's
     * memory, else the group's records), else the image's route.
     */
    public Route forBlob(String image, PullTarget target) {
        Route route = route(image, target);
        if (route.single()) {
            return route;
        }
        Optional<Long> upstreamId = served.get(new Image(target.groupId(), image))
                .or(() -> manifests.upstreamOfImage(target.groupId(), image));
        return upstreamId.isPresent() ? servedBy(upstreamId.get(), image, target) : route;
    }

    /**
     * Asks the candidates in order with {@code head}: the first 2xx wins; a 404/401/403 goes on to the next; an
     * error ends the search (it is returned, or thrown as {@link UpstreamException}) unless the route falls back on
     * errors. With nothing found, an error seen on the way wins over the last miss.
     */
    public Probe firstHaving(Route route, Function<Candidate, UpstreamHead> head) {
        Probe miss = null;
        Probe failed = null;
        UpstreamException thrown = null;
        for (Candidate candidate : route.candidates()) {
            UpstreamHead answer;
            try {
                answer = head.apply(candidate);
            } catch (UpstreamException e) {
                if (!route.fallbackOnError()) {
                    throw e;
                }
                thrown = e;
                continue;
            }
            Probe probe = new Probe(candidate, answer);
            if (answer.ok()) {
                return probe;
            }
            if (answer.status() == 404 || answer.refused()) {
                miss = miss == null ? probe : miss;
                continue;
            }
            if (!route.fallbackOnError()) {
                return probe;
            }
            failed = probe;
        }
        if (failed != null) {
            return failed;
        }
        if (thrown != null) {
            throw thrown;
        }
        return miss;
    }

    /** Remembers that {@code candidate} serves the group's {@code image}, for its blobs. */
    public void remember(PullTarget target, String image, Candidate candidate) {
        served.put(new Image(target.groupId(), image), candidate.endpoint().id());
    }
}
