package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.support.ShortLivedCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which upstream a pull goes to. By name: an image whose first component names an upstream
 * ({@code ghcr.io/org/tool}) goes to that one only, as the rest of the name, when the group may use it (its list
 * names it, or it is open to all groups); otherwise 404 NAME_UNKNOWN and no upstream is asked. Otherwise by the
 * group's order (its list only; upstreams open to all groups are reached by name, never added to an order): the
 * first upstream that has the image; a 404 falls through to the next. A 401/403 ends the search unless the group
 * falls back on refusals (a public registry must not answer for a private one whose credentials expired); an error
 * (5xx, 429, timeout, refused connection) ends it unless the group falls back on errors. A cached record goes back
 * to the upstream that served it while the group may still use that upstream.
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

    /** The upstreams to try, in order, and which answers let the next one answer besides a 404. */
    public record Route(List<Candidate> candidates, boolean fallbackOnError, boolean fallbackOnAuthError) {
        /** A route where a refusal (401/403) ends the search. */
        public Route(List<Candidate> candidates, boolean fallbackOnError) {
            this(candidates, fallbackOnError, false);
        }

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

    /**
     * The image's route; 404 NAME_UNKNOWN when it names an upstream the group may not use (the message does not say
     * whether one of that name exists).
     */
    public Route route(String image, PullTarget target) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            Optional<UpstreamEndpoint> named = catalog.named(image.substring(0, slash));
            if (named.isPresent()) {
                UpstreamEndpoint upstream = named.get();
                if (!target.upstreams().mayUse(upstream)) {
                    throw RegistryException.nameUnknown("repository " + image + " is not served by any upstream"
                            + " this group may use");
                }
                return new Route(List.of(new Candidate(target.upstreams().choiceFor(upstream),
                        upstream.upstreamName(image.substring(slash + 1)))), false);
            }
        }
        GroupUpstreams upstreams = target.upstreams();
        return new Route(upstreams.order().stream()
                .map(choice -> new Candidate(choice, choice.endpoint().upstreamName(image))).toList(),
                upstreams.fallbackOnError(), upstreams.fallbackOnAuthError());
    }

    /**
     * The route of a record that upstream {@code upstreamId} served (null: unknown, the image's route); the image's
     * route too when the group may no longer use that upstream (it left the list, or was closed).
     */
    public Route servedBy(Long upstreamId, String image, PullTarget target) {
        Route route = route(image, target);
        Optional<UpstreamEndpoint> upstream = Optional.ofNullable(upstreamId).flatMap(catalog::byId)
                .filter(target.upstreams()::mayUse);
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
     * Asks the candidates in order with {@code head}: the first 2xx wins; a 404 goes on to the next. A refusal (a
     * 401/403, or {@link UpstreamAccessRefused} from the token service) goes on only when the route falls back on
     * refusals; otherwise, with later candidates left, it ends the search as {@link RefusalEndsSearch} (from the last
     * candidate it is a miss, as before). An error ends the search (it is returned, or thrown as
     * {@link UpstreamException}) unless the route falls back on errors. With nothing found, an error seen on the way
     * wins over the misses, of which the first is returned (or thrown, when the token service refused).
     */
    public Probe firstHaving(Route route, Function<Candidate, UpstreamHead> head) {
        Probe miss = null;
        UpstreamAccessRefused refusedFirst = null;
        Probe failed = null;
        UpstreamException thrown = null;
        List<Candidate> candidates = route.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            boolean last = i == candidates.size() - 1;
            UpstreamHead answer;
            try {
                answer = head.apply(candidate);
            } catch (UpstreamAccessRefused e) {
                if (!route.fallbackOnAuthError() && !last) {
                    throw new RefusalEndsSearch(candidate.endpoint().name(), "its token service");
                }
                refusedFirst = miss == null && refusedFirst == null ? e : refusedFirst;
                continue;
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
            if (answer.refused() && !route.fallbackOnAuthError() && !last) {
                throw new RefusalEndsSearch(candidate.endpoint().name(), "HTTP " + answer.status());
            }
            if (answer.status() == 404 || answer.refused()) {
                miss = miss == null && refusedFirst == null ? probe : miss;
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
        if (refusedFirst != null) {
            throw refusedFirst;
        }
        return miss;
    }

    /** Remembers that {@code candidate} serves the group's {@code image}, for its blobs. */
    public void remember(PullTarget target, String image, Candidate candidate) {
        served.put(new Image(target.groupId(), image), candidate.endpoint().id());
    }
}
