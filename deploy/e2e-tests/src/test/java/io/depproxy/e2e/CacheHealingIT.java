package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.depproxy.contracts.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records whose stored object is gone heal, with skopeo against a real upstream registry: blob objects deleted behind
 * their records in the object store are fetched again on the next pull, and a tag that moved upstream still pulls its
 * new manifest when the upstream stops right after the pull that moved it (the old manifest's object is deleted by
 * then). The accelerator keeps no hot-tier copies here, like a replica that never served the image.
 */
class CacheHealingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Uploads finish after the client has its bytes (finalize runs detached). */
    private static final Duration STORED = Duration.ofSeconds(30);
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static int pulls;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        stack = e2e.stackBehind(upstream.url(), Map.of("DP_HOT_CACHE_MAX_BYTES", "0"));
    }

    @Test
    void blobObjectsDeletedBehindTheirRecordsAreFetchedAgainAndThePullSucceeds() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 2_000, 300_000);
        layout.tag("v1", image.manifest());
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/healing:v1", false);
        long groupId = stack.createGroup("healing");
        String ref = stack.hostPort() + "/healing/dependency_proxy/containers/healing:v1";
        pull(ref).assertSuccess(List.of("first pull"));
        String blobs = "dependency_proxy/" + groupId + "/blobs";
        // every record written: a finalize still running would copy its object back
        await().atMost(STORED)
                .untilAsserted(() -> assertThat(servableBlobRecords(groupId)).isEqualTo(image.blobs().size()));
        assertThat(stack.storedObjects(blobs)).hasSize(image.blobs().size());
        // a stored download stays joinable for a moment (DependencyFetch.JOINABLE_AFTER_STORED, 2 s): an object is
        // deleted behind its record later than that (an operator's clean-up, a purge), so its next miss fetches anew.
        // The accelerator counts a download in accel_inflight_fetches until it is no longer joinable.
        await().atMost(STORED).until(() -> stack.acceleratorMetric("accel_inflight_fetches") == 0);
        Map<String, Long> getsBefore = upstreamGets(image);

        for (Path object : stack.storedObjects(blobs)) {
            Files.delete(object);
        }
        pull(ref).assertSuccess(List.of("pull after the objects were deleted"));

        // the registry writes its access line once the response is done, a moment after the client has its bytes
        await().atMost(STORED).untilAsserted(() -> assertThat(upstreamGets(image))
                .as("one more upstream GET of each blob")
                .isEqualTo(withOneMore(getsBefore)));
        await().atMost(STORED)
                .untilAsserted(() -> assertThat(servableBlobRecords(groupId)).isEqualTo(image.blobs().size()));
        assertThat(stack.storedObjects(blobs)).as("stored again").hasSize(image.blobs().size());
        pull(ref).assertSuccess(List.of("third pull, from the cache"));
        assertThat(upstreamGets(image)).as("no further upstream GET").isEqualTo(withOneMore(getsBefore));
    }

    @Test
    void aMovedTagStillPullsItsNewManifestWhenTheUpstreamStopsRightAfter() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image first = layout.image("amd64", 1_000, 20_000);
        OciImageLayout.Image second = layout.image("amd64", 2_000, 30_000);
        layout.tag("first", first.manifest());
        layout.tag("second", second.manifest());
        long groupId = stack.createGroup("moved");
        String ref = stack.hostPort() + "/moved/dependency_proxy/containers/moved:latest";
        Skopeo.push(layout.dir(), "first", upstream.hostPort() + "/library/moved:latest", false);
        assertThat(pulledManifestDigest(ref)).isEqualTo(first.manifest().digest());
        // the accelerator stores a verified download just after the client has it (finalize runs detached)
        awaitServable(groupId, first.manifest().digest());

        Skopeo.push(layout.dir(), "second", upstream.hostPort() + "/library/moved:latest", false);
        assertThat(pulledManifestDigest(ref)).isEqualTo(second.manifest().digest());
        // the stale answer can only be the second manifest once its finalize moved the tag, which also deletes
        // the first manifest's object
        awaitServable(groupId, second.manifest().digest());
        await().atMost(STORED).untilAsserted(() -> assertThat(stack.storedObjects("dependency_proxy/" + groupId
                + "/manifests")).as("the first manifest's object was deleted when the tag moved")
                .noneMatch(p -> p.getFileName().toString().equals(Digests.hexOf(first.manifest().digest()))));
        upstream.stop();
        try {
            assertThat(pulledManifestDigest(ref)).as("the stale answer is the tag's newest stored manifest")
                    .isEqualTo(second.manifest().digest());
        } finally {
            upstream.start();
        }
    }

    /** Waits until the group lists a servable (status default, not an upload in progress) record of {@code digest}. */
    private static void awaitServable(long groupId, String digest) {
        await().atMost(STORED).until(() -> {
            for (JsonNode manifest : stack.admin("GET", "/groups/" + groupId
                    + "/dependency_proxy/manifests?per_page=100", null)) {
                if (digest.equals(manifest.path("digest").asText())
                        && "default".equals(manifest.path("status").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Pulls {@code ref} with skopeo into a new directory and answers the digest of the manifest it got. */
    private static String pulledManifestDigest(String ref) throws IOException, InterruptedException {
        Path out = e2e.dir("pulled-" + ++pulls);
        Skopeo.pull(ref, CREDS, out).assertSuccess(List.of("pull " + ref));
        return JSON.readTree(out.resolve("index.json").toFile()).get("manifests").get(0).get("digest").asText();
    }

    private static ExternalCommand.Result pull(String ref) throws IOException, InterruptedException {
        return Skopeo.pull(ref, CREDS, e2e.dir("pulled-" + ++pulls));
    }

    private static long servableBlobRecords(long groupId) throws Exception {
        JsonNode records = stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/blobs?per_page=100", null);
        long servable = 0;
        for (JsonNode record : records) {
            servable += record.get("status").asText().equals("default") ? 1 : 0;
        }
        return servable;
    }

    private static Map<String, Long> upstreamGets(OciImageLayout.Image image) throws IOException {
        Map<String, Long> gets = new HashMap<>();
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            gets.put(blob.digest(), upstream.requests("GET", "/blobs/" + blob.digest()));
        }
        return gets;
    }

    private static Map<String, Long> withOneMore(Map<String, Long> gets) {
        Map<String, Long> more = new HashMap<>();
        gets.forEach((digest, count) -> more.put(digest, count + 1));
        return more;
    }
}
