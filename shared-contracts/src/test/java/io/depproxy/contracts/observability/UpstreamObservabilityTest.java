package io.depproxy.contracts.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpstreamObservabilityTest {

    @Test
    void statusesMapToAFixedSetOfOutcomesWith429OnItsOwn() {
        assertThat(UpstreamOutcome.ofStatus(200)).isEqualTo("ok");
        assertThat(UpstreamOutcome.ofStatus(307)).isEqualTo("ok");
        assertThat(UpstreamOutcome.ofStatus(404)).isEqualTo("not_found");
        assertThat(UpstreamOutcome.ofStatus(401)).isEqualTo("unauthorized");
        assertThat(UpstreamOutcome.ofStatus(403)).isEqualTo("unauthorized");
        assertThat(UpstreamOutcome.ofStatus(429)).isEqualTo("rate_limited");
        assertThat(UpstreamOutcome.ofStatus(400)).isEqualTo("http_error");
        assertThat(UpstreamOutcome.ofStatus(503)).isEqualTo("http_error");
        assertThat(UpstreamOutcome.ALL).containsExactly("ok", "not_found", "unauthorized", "rate_limited",
                "http_error", "failed", "timeout", "refused");
    }

    @Test
    void readsDockerHubRateLimitHeaders() {
        assertThat(UpstreamRateLimit.count("100;w=21600")).hasValue(100);
        assertThat(UpstreamRateLimit.count(" 76;w=21600")).hasValue(76);
        assertThat(UpstreamRateLimit.count("0")).hasValue(0);
        assertThat(UpstreamRateLimit.count("5000, 5000;w=3600")).hasValue(5000);
        assertThat(UpstreamRateLimit.count(null)).isEqualTo(OptionalLong.empty());
        assertThat(UpstreamRateLimit.count("")).isEmpty();
        assertThat(UpstreamRateLimit.count("-1")).isEmpty();
        assertThat(UpstreamRateLimit.count("12abc")).isEmpty();
        assertThat(UpstreamRateLimit.count("9".repeat(30))).isEmpty();
    }
}
