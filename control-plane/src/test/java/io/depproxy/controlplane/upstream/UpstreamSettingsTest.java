package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "https://registry-1.docker.io, library",
            "https://docker.io/, library",
            "https://index.docker.io, library",
            "https://ghcr.io, ''",
            "http://127.0.0.1:5000, ''"})
    void defaultsTheSingleNamePrefixToLibraryOnDockerHubOnly(String url, String prefix) {
        UpstreamSettings settings = new UpstreamSettings(url, Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(settings.singleNamePrefix()).isEqualTo(prefix);
        assertThat(settings.baseUrl()).doesNotEndWith("/");
    }

    @Test
    void prefixesOnlyOneComponentNames() {
        UpstreamSettings hub = new UpstreamSettings("https://registry-1.docker.io", Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(endpoint(hub).upstreamName("alpine")).isEqualTo("library/alpine");
        assertThat(endpoint(hub).upstreamName("bitnami/redis")).isEqualTo("bitnami/redis");
        UpstreamSettings mirror = new UpstreamSettings("http://mirror:5000", Optional.of("/library/"),
                Optional.empty(), Optional.empty());
        assertThat(endpoint(mirror).upstreamName("alpine")).isEqualTo("library/alpine");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://ghcr.io", "ghcr.io", "https://", "https://user:pw@ghcr.io", "https://ghcr.io/?a=b", "''"})
    void acceptsOnlyAbsoluteHttpUrlsWithAHost(String url) {
        assertThat(UpstreamSettings.baseUrlOf(url)).isEmpty();
        assertThat(UpstreamSettings.baseUrlOf("https://ghcr.io/")).contains("https://ghcr.io");
    }

    private static UpstreamEndpoint endpoint(UpstreamSettings settings) {
        return new UpstreamEndpoint(1, "test", settings.baseUrl(), settings.singleNamePrefix(), null, null, true);
    }

    @Test
    void rejectsAnUpstreamThatIsNotAnAbsoluteHttpUrl() {
        assertThatThrownBy(() -> new UpstreamSettings("registry-1.docker.io", Optional.empty(), Optional.empty(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
