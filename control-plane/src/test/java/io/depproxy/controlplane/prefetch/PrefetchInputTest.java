package io.depproxy.controlplane.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.ApiException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrefetchInputTest {
    @Test
    void referencesAreReadAsClientsWriteThemAndCheckedWithTheRegistryGrammar() {
        assertThat(ImageReference.parse("alpine", "acme")).isEqualTo(new ImageReference("alpine", "latest"));
        assertThat(ImageReference.parse(" library/alpine:3.20 ", "acme"))
                .isEqualTo(new ImageReference("library/alpine", "3.20"));
        String digest = "sha256:" + "a".repeat(64);
        assertThat(ImageReference.parse("tool@" + digest, "acme")).isEqualTo(new ImageReference("tool", digest));
        assertThat(ImageReference.parse("ghcr.io/org/tool:1.2", "acme").name()).isEqualTo("ghcr.io/org/tool");
        assertThat(ImageReference.parse("tool@" + digest, "acme")).hasToString("tool@" + digest);

        for (String bad : new String[] {"", "UPPER:v1", "a:bad tag", "a/../b:v1", "a@sha256:short", "a::v1"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad, "acme")).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void platformsMatchIndexEntriesAndAVariantOnlyWhenAsked() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var armV8 = json.readTree("{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}");
        assertThat(Platform.parse("linux/arm64").matches(armV8)).isTrue();
        assertThat(Platform.parse("linux/arm64/v8").matches(armV8)).isTrue();
        assertThat(Platform.parse("linux/arm64/v7").matches(armV8)).isFalse();
        assertThat(Platform.parse("linux/amd64").matches(armV8)).isFalse();
        assertThat(Platform.isPlaceholder(json.readTree("{\"os\":\"unknown\",\"architecture\":\"unknown\"}"))).isTrue();
        for (String bad : new String[] {"linux", "linux/", "a/b/c/d", "Linux/AMD64", "linux/amd 64"}) {
            assertThatThrownBy(() -> Platform.parse(bad)).as(bad).isInstanceOf(ApiException.class);
        }
    }

    private record Limits(int threads, int maxQueued, int concurrency, int maxRunningPerGroup)
            implements ControlPlaneConfig.Prefetch {
        @Override
        public Optional<String> pullUrl() {
            return Optional.empty();
        }
    }

    @Test
    void aPrefetchLimitBelowOneStopsTheStart() {
        assertThat(PrefetchRunner.validated(new Limits(2, 100, 4, 2)).threads()).isEqualTo(2);
        assertThatThrownBy(() -> PrefetchRunner.validated(new Limits(0, 100, 4, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("DP_PREFETCH_THREADS must be at least 1 (it is 0)");
        assertThatThrownBy(() -> PrefetchRunner.validated(new Limits(2, 0, 4, 2)))
                .hasMessageContaining("DP_PREFETCH_MAX_QUEUED");
        assertThatThrownBy(() -> PrefetchRunner.validated(new Limits(2, 100, 4, -1)))
                .hasMessageContaining("DP_PREFETCH_MAX_RUNNING_PER_GROUP");
    }

    @Test
    void aJobSucceedsWhenEveryImageIsDoneFailsWhenNoneIsAndIsPartialOtherwise() {
        ImageProgress done = ImageProgress.pending("a:1").done();
        ImageProgress failed = ImageProgress.pending("b:1").failed("404");
        assertThat(PrefetchRunner.status(List.of(done, done), true)).isEqualTo("succeeded");
        assertThat(PrefetchRunner.status(List.of(done, failed), true)).isEqualTo("partial");
        assertThat(PrefetchRunner.status(List.of(failed), true)).isEqualTo("failed");
        assertThat(PrefetchRunner.status(List.of(failed), false)).isEqualTo("running");
    }
}
