package io.depproxy.accelerator.readahead;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestBlobsTest {
    private static final String CONFIG = Digests.sha256("config".getBytes(StandardCharsets.UTF_8));
    private static final String LAYER_A = Digests.sha256("a".getBytes(StandardCharsets.UTF_8));
    private static final String LAYER_B = Digests.sha256("b".getBytes(StandardCharsets.UTF_8));

    @Test
    void anImageManifestNamesItsConfigThenItsLayersInOrderEachOnce() {
        String oci = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor(CONFIG, 10) + ",\"layers\":[" + descriptor(LAYER_B, 30) + ","
                + descriptor(LAYER_A, 20) + "," + descriptor(LAYER_B, 30) + "]}";

        assertThat(ManifestBlobs.of(bytes(oci))).containsExactly(new ManifestBlobs.Blob(CONFIG, 10),
                new ManifestBlobs.Blob(LAYER_B, 30), new ManifestBlobs.Blob(LAYER_A, 20));
    }

    @Test
    void foreignLayersAndMalformedDescriptorsAreLeftOut() {
        String manifest = "{\"schemaVersion\":2,\"config\":" + descriptor(CONFIG, 10) + ",\"layers\":["
                + "{\"digest\":\"" + LAYER_A + "\",\"size\":5,\"urls\":[\"https://example.com/a\"]},"
                + "{\"digest\":\"sha256:short\",\"size\":5},"
                + "{\"digest\":\"" + LAYER_B + "\",\"size\":-1},"
                + "{\"digest\":\"" + LAYER_B + "\",\"size\":\"12\"},"
                + "{\"digest\":\"" + LAYER_B + "\",\"size\":1.5},"
                + "{\"size\":5}, 7, null]}";

        assertThat(ManifestBlobs.of(bytes(manifest))).containsExactly(new ManifestBlobs.Blob(CONFIG, 10));
    }

    @Test
    void indexesSchemaOneAndAnythingElseNameNoBlobs() {
        List<String> none = List.of(
                "{\"schemaVersion\":2,\"manifests\":[" + descriptor(LAYER_A, 1) + "],\"config\":"
                        + descriptor(CONFIG, 1) + ",\"layers\":[]}",
                "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"" + LAYER_A + "\"}]}",
                "{\"schemaVersion\":2,\"layers\":[" + descriptor(LAYER_A, 1) + "]}",
                "{\"schemaVersion\":2,\"config\":" + descriptor(CONFIG, 1) + ",\"layers\":{}}",
                "[1,2]", "not json", "");

        for (String manifest : none) {
            assertThat(ManifestBlobs.of(bytes(manifest))).as(manifest).isEmpty();
        }
    }

    @Test
    void theBudgetTakesBlobsInOrderAndSkipsThoseThatDoNotFit() {
        List<ManifestBlobs.Blob> blobs = List.of(new ManifestBlobs.Blob(CONFIG, 10), new ManifestBlobs.Blob(LAYER_A, 100),
                new ManifestBlobs.Blob(LAYER_B, 40));

        assertThat(ManifestBlobs.within(blobs, 60)).extracting(ManifestBlobs.Blob::digest).containsExactly(CONFIG, LAYER_B);
        assertThat(ManifestBlobs.within(blobs, 150)).hasSize(3);
        assertThat(ManifestBlobs.within(blobs, 5)).isEmpty();
    }

    private static String descriptor(String digest, long size) {
        return "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
