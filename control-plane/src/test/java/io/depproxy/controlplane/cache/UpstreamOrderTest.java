package io.depproxy.controlplane.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.controlplane.upstream.UpstreamChoice;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of the group's order: which answers fall through to the next upstream, and which end the search. */
class UpstreamOrderTest {
    private final UpstreamRouting routing = new UpstreamRouting();
    private final List<String> asked = new ArrayList<>();

    private static UpstreamRouting.Candidate candidate(long id) {
        UpstreamEndpoint endpoint = new UpstreamEndpoint(id, "u" + id + ".test", "http://u" + id + ".test", "", null,
                null, false);
        return new UpstreamRouting.Candidate(new UpstreamChoice(endpoint, null), "app");
    }

    private UpstreamRouting.Probe probe(boolean fallbackOnError, Map<Long, Integer> statuses) {
        UpstreamRouting.Route route = new UpstreamRouting.Route(
                List.of(candidate(1), candidate(2), candidate(3)), fallbackOnError);
        return routing.firstHaving(route, candidate -> {
            asked.add(candidate.endpoint().name());
            int status = statuses.get(candidate.endpoint().id());
            if (status < 0) {
                throw new UpstreamException("connection refused");
            }
            return new UpstreamHead(status, null, null, null);
        });
    }

    @Test
    void notFoundAndRefusedFallThroughToTheFirstThatHasIt() {
        UpstreamRouting.Probe found = probe(false, Map.of(1L, 404, 2L, 401, 3L, 200));
        assertThat(found.candidate().endpoint().id()).isEqualTo(3);
        assertThat(asked).containsExactly("u1.test", "u2.test", "u3.test");
    }

    @Test
    void theFirstThatHasItEndsTheSearch() {
        assertThat(probe(false, Map.of(1L, 200, 2L, 200, 3L, 200)).candidate().endpoint().id()).isEqualTo(1);
        assertThat(asked).containsExactly("u1.test");
    }

    @Test
    void anErrorEndsTheSearchUnlessTheGroupFallsBackOnErrors() {
        UpstreamRouting.Probe failed = probe(false, Map.of(1L, 404, 2L, 503, 3L, 200));
        assertThat(failed.head().status()).isEqualTo(503);
        assertThat(asked).containsExactly("u1.test", "u2.test");
        assertThatThrownBy(() -> probe(false, Map.of(1L, -1, 2L, 200, 3L, 200)))
                .isInstanceOf(UpstreamException.class);

        asked.clear();
        assertThat(probe(true, Map.of(1L, -1, 2L, 429, 3L, 200)).candidate().endpoint().id()).isEqualTo(3);
        assertThat(asked).containsExactly("u1.test", "u2.test", "u3.test");
    }

    @Test
    void withNothingFoundAnErrorSeenOnTheWayWinsOverTheMisses() {
        assertThat(probe(true, Map.of(1L, 404, 2L, 500, 3L, 404)).head().status()).isEqualTo(500);
        assertThatThrownBy(() -> probe(true, Map.of(1L, 404, 2L, -1, 3L, 404)))
                .isInstanceOf(UpstreamException.class);
        UpstreamRouting.Probe miss = probe(true, Map.of(1L, 404, 2L, 403, 3L, 404));
        assertThat(miss.head().status()).isEqualTo(404);
        assertThat(miss.candidate().endpoint().id()).isEqualTo(1);
    }
}
