package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of the group's order: which answers fall through to the next upstream, and which end the search. */
class UpstreamOrderTest {
    /** An upstream that cannot be reached. */
    private static final int UNREACHABLE = -1;
    /** An upstream whose token service refuses the credentials. */
    private static final int TOKEN_REFUSED = -2;

    private final UpstreamRouting routing = new UpstreamRouting();
    private final List<String> asked = new ArrayList<>();

    private static UpstreamRouting.Candidate candidate(long id) {
        UpstreamEndpoint endpoint = new UpstreamEndpoint(id, "u" + id + ".test", "http://u" + id + ".test", "", null,
                null, false);
        return new UpstreamRouting.Candidate(new UpstreamChoice(endpoint, null), "app");
    }

    private UpstreamRouting.Probe probe(boolean fallbackOnError, Map<Long, Integer> statuses) {
        return probe(fallbackOnError, false, statuses);
    }

    private UpstreamRouting.Probe probe(boolean fallbackOnError, boolean fallbackOnAuthError,
                                        Map<Long, Integer> statuses) {
        UpstreamRouting.Route route = new UpstreamRouting.Route(
                List.of(candidate(1), candidate(2), candidate(3)), fallbackOnError, fallbackOnAuthError);
        return routing.firstHaving(route, candidate -> {
            asked.add(candidate.endpoint().name());
            int status = statuses.get(candidate.endpoint().id());
            if (status == UNREACHABLE) {
                throw new UpstreamException("connection refused");
            }
            if (status == TOKEN_REFUSED) {
                throw new UpstreamAccessRefused("upstream token service refused repository:app:pull (401)");
            }
            return new UpstreamHead(status, null, null, null);
        });
    }

    @Test
    void notFoundFallsThroughToTheFirstThatHasIt() {
        UpstreamRouting.Probe found = probe(false, Map.of(1L, 404, 2L, 404, 3L, 200));
        assertThat(found.candidate().endpoint().id()).isEqualTo(3);
        assertThat(asked).containsExactly("u1.test", "u2.test", "u3.test");
    }

    @Test
    void aRefusalEndsTheSearchByDefaultSoANextUpstreamNeverAnswersForThatName() {
        for (int refusal : new int[] {401, 403, TOKEN_REFUSED}) {
            for (boolean fallbackOnError : new boolean[] {false, true}) {
                asked.clear();
                assertThatThrownBy(() -> probe(fallbackOnError, Map.of(1L, refusal, 2L, 200, 3L, 200)))
                        .as("%d, fallback_on_error %s", refusal, fallbackOnError)
                        .isInstanceOf(RefusalEndsSearch.class).hasMessageContaining("u1.test");
                assertThat(asked).as("%d", refusal).containsExactly("u1.test");
            }
        }
        asked.clear();
        assertThatThrownBy(() -> probe(false, Map.of(1L, 404, 2L, 401, 3L, 200)))
                .isInstanceOf(RefusalEndsSearch.class).hasMessageContaining("u2.test");
        assertThat(asked).containsExactly("u1.test", "u2.test");
    }

    @Test
    void withFallbackOnAuthErrorARefusalFallsThroughLikeANotFound() {
        UpstreamRouting.Probe found = probe(false, true, Map.of(1L, 401, 2L, TOKEN_REFUSED, 3L, 200));
        assertThat(found.candidate().endpoint().id()).isEqualTo(3);
        assertThat(asked).containsExactly("u1.test", "u2.test", "u3.test");

        asked.clear();
        UpstreamRouting.Probe miss = probe(false, true, Map.of(1L, 403, 2L, 404, 3L, 404));
        assertThat(miss.candidate().endpoint().id()).isEqualTo(1);
        assertThat(miss.head().status()).isEqualTo(403);
        assertThatThrownBy(() -> probe(false, true, Map.of(1L, TOKEN_REFUSED, 2L, 404, 3L, 404)))
                .isInstanceOf(UpstreamAccessRefused.class).isNotInstanceOf(RefusalEndsSearch.class);
    }

    @Test
    void aRefusalOfTheLastUpstreamIsAMissAsBefore() {
        UpstreamRouting.Probe miss = probe(false, Map.of(1L, 404, 2L, 404, 3L, 401));
        assertThat(miss.candidate().endpoint().id()).isEqualTo(1);
        assertThat(miss.head().status()).isEqualTo(404);
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
        assertThatThrownBy(() -> probe(false, Map.of(1L, UNREACHABLE, 2L, 200, 3L, 200)))
                .isInstanceOf(UpstreamException.class);

        asked.clear();
        assertThat(probe(true, Map.of(1L, UNREACHABLE, 2L, 429, 3L, 200)).candidate().endpoint().id()).isEqualTo(3);
        assertThat(asked).containsExactly("u1.test", "u2.test", "u3.test");
    }

    @Test
    void withNothingFoundAnErrorSeenOnTheWayWinsOverTheMisses() {
        assertThat(probe(true, Map.of(1L, 404, 2L, 500, 3L, 404)).head().status()).isEqualTo(500);
        assertThatThrownBy(() -> probe(true, Map.of(1L, 404, 2L, UNREACHABLE, 3L, 404)))
                .isInstanceOf(UpstreamException.class);
        UpstreamRouting.Probe miss = probe(true, true, Map.of(1L, 404, 2L, 403, 3L, 404));
        assertThat(miss.head().status()).isEqualTo(404);
        assertThat(miss.candidate().endpoint().id()).isEqualTo(1);
    }
}
