package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection test of an upstream (instance administrators), from the API or the admin page alike, and the outcome
 * of the last one per upstream, which the upstreams page shows as its health. The outcomes are kept in memory on
 * each replica: a test is cheap to run again, an outcome is only as fresh as the moment it was taken, and a restart or
 * another replica shows "not tested" until someone tests (no table to migrate, nothing stale kept for ever).
 */
@ApplicationScoped
public class UpstreamConnectionTests {
    @Inject
    UpstreamService upstreams;
    @Inject
    UpstreamCatalog catalog;
    @Inject
    UpstreamProbe probe;

    private final Clock clock = Clock.systemUTC();
    private final Map<Long, Outcome> last = new ConcurrentHashMap<>();

    /** What the registry answered, and when. */
    public record Outcome(UpstreamProbe.Report report, Instant testedAt) {
    }

    /** Tests the upstream as it is stored now (with its credentials) and keeps the outcome as its last. */
    public Outcome test(ApiCaller caller, long id) {
        upstreams.get(caller, id);
        catalog.invalidate();
        UpstreamEndpoint upstream = catalog.byId(id).orElseThrow(() -> ApiException.notFound("Upstream"));
        Outcome outcome = new Outcome(probe.probe(upstream.name(), upstream.baseUrl(), upstream.credentials()), clock.instant());
        last.put(id, outcome);
        return outcome;
    }

    /** The last test's outcome on this replica since it started; empty when none ran or the upstream changed since. */
    public Optional<Outcome> last(long id) {
        return Optional.ofNullable(last.get(id));
    }

    /** An upstream changed or was deleted: its last outcome no longer says anything about it. */
    public void forget(long id) {
        last.remove(id);
    }
}
