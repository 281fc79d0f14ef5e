package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.UploadTarget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadAheadDecisionsTest {
    private static final String PATH = "/v2/acme/dependency_proxy/containers/alpine/blobs/sha256:" + "a".repeat(64);
    private static final Duration REUSABLE = Duration.ofSeconds(5);

    private final ReadAheadDecisions decisions = new ReadAheadDecisions();

    @Test
    void anAnswerIsTakenOnceByExactlyTheRequestItWasAskedFor() {
        SendDependency dependency = dependency("http://upstream/a");
        decisions.remember("Bearer t1", PATH, dependency, REUSABLE);

        assertThat(decisions.take("Bearer t2", PATH)).isEmpty();
        assertThat(decisions.take(null, PATH)).isEmpty();
        assertThat(decisions.take("Bearer t1", PATH + "?ns=docker.io")).isEmpty();
        assertThat(decisions.take("Bearer t1", PATH)).contains(dependency);
        assertThat(decisions.take("Bearer t1", PATH)).isEmpty();
    }

    @Test
    void noAuthorizationAndAnEmptyOneAreTheSameAnonymousRequest() {
        SendDependency dependency = dependency("http://upstream/b");
        decisions.remember(null, PATH, dependency, REUSABLE);

        assertThat(decisions.take("null", PATH)).isEmpty();
        assertThat(decisions.take("", PATH)).contains(dependency);
    }

    @Test
    void nothingIsKeptWithoutTheControlPlanesLeaveAndNothingOutlivesIt() throws InterruptedException {
        decisions.remember("Bearer t", PATH, dependency("http://upstream/c"), Duration.ZERO);
        assertThat(decisions.size()).isZero();

        decisions.remember("Bearer t", PATH, dependency("http://upstream/c"), Duration.ofMillis(20));
        Thread.sleep(40);

        assertThat(decisions.take("Bearer t", PATH)).isEmpty();
    }

    @Test
    void aFullStoreKeepsNoMoreAndClearsWhatExpired() throws InterruptedException {
        for (int i = 0; i < ReadAheadDecisions.MAX_DECISIONS; i++) {
            decisions.remember("Bearer t", PATH + i, dependency("http://upstream/" + i), Duration.ofSeconds(2));
        }
        decisions.remember("Bearer t", PATH, dependency("http://upstream/late"), REUSABLE);
        assertThat(decisions.size()).isEqualTo(ReadAheadDecisions.MAX_DECISIONS);
        assertThat(decisions.take("Bearer t", PATH)).isEmpty();

        Thread.sleep(2_100);
        decisions.remember("Bearer t", PATH, dependency("http://upstream/later"), REUSABLE);

        assertThat(decisions.size()).isEqualTo(1);
        assertThat(decisions.take("Bearer t", PATH)).map(SendDependency::url).contains("http://upstream/later");
    }

    private static SendDependency dependency(String url) {
        return new SendDependency(url, HeaderMap.empty(), HeaderMap.empty(),
                new UploadTarget("POST", PATH + "/upload", HeaderMap.empty()), "sha256:" + "a".repeat(64), "k", null);
    }
}
