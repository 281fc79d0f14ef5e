package io.depproxy.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Content-Type of a miss always comes from the registry's list, never from what an upstream chose. */
class MediaTypesTest {

    @Test
    void aKnownManifestTypeIsKeptWithoutItsParametersAndAnythingElseIsReplaced() {
        assertThat(MediaTypes.manifestTypeOr(MediaTypes.OCI_INDEX + "; charset=utf-8", "x")).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(MediaTypes.manifestTypeOr("text/html", MediaTypes.UNNAMED_MANIFEST)).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(MediaTypes.manifestTypeOr(null, MediaTypes.DOCKER_MANIFEST)).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(MediaTypes.manifestTypeOr("application/json", MediaTypes.DOCKER_MANIFEST))
                .isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void aManifestBodyNamesItsTypeOnlyWhenItIsAKnownOne() {
        assertThat(MediaTypes.declaredBy(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST
                + "\",\"manifests\":[]}"))).contains(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(MediaTypes.declaredBy(bytes("{\"mediaType\":\"text/html\"}"))).isEmpty();
        assertThat(MediaTypes.declaredBy(bytes("{\"mediaType\":{\"a\":1}}"))).isEmpty();
        assertThat(MediaTypes.declaredBy(bytes("{\"schemaVersion\":2}"))).isEmpty();
        assertThat(MediaTypes.declaredBy(bytes("<html><script>alert(1)</script></html>"))).isEmpty();
        assertThat(MediaTypes.declaredBy(new byte[0])).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
