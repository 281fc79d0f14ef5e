package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A newcomer's first pull: a real registry upstream holding an image built here, the product started the way
 * {@code make run} starts it, skopeo pulling through the accelerator; then the upstream is stopped and the same
 * image (by tag and by digest) still pulls, from the cache.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullThroughCacheIT {
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static OciImageLayout.Image image;
    private static OciImageLayout.Image aheadImage;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        image = e2e.pushImage(upstream, "library/e2e-app:v1", 42, 2_000, 3 * 1024 * 1024, 24 * 1024 * 1024);
        aheadImage = e2e.pushImage(upstream, "library/e2e-ahead:v1", 43, 1_500, 2 * 1024 * 1024, 5 * 1024 * 1024);
        stack = e2e.stackBehind(upstream.url());
    }

    @Test
    @Order(2) // it stops the upstream
    void coldPullStoresEachBlobOnceAndWarmPullsWorkWithTheUpstreamDownAndAfterARestart() throws Exception {
        long groupId = stack.createGroup("e2e");
        String ref = stack.hostPort() + "/e2e/dependency_proxy/containers/e2e-app";

        Path cold = e2e.dir("cold");
        Skopeo.pull(ref + ":v1", CREDS, cold).assertSuccess(List.of("skopeo copy (cold)"));
        assertPulledExactly(cold);
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest()))
                    .as("upstream GETs of %s", blob.digest()).isEqualTo(1);
        }
        // finalize runs detached from the client: give it a moment after the last byte
        List<String> expected = image.blobs().stream().map(b -> Digests.hexOf(b.digest())).toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedBlobHashes(groupId))
                .containsExactlyInAnyOrderElementsOf(expected));

        upstream.stop();
        Skopeo.pull(ref + ":v1", CREDS, e2e.dir("warm-tag")).assertSuccess(List.of("skopeo copy (warm, tag)"));
        assertPulledExactly(e2e.dir("warm-tag"));
        Skopeo.pull(ref + "@" + image.manifest().digest(), CREDS, e2e.dir("warm-digest"))
                .assertSuccess(List.of("skopeo copy (warm, digest)"));
        assertPulledExactly(e2e.dir("warm-digest"));

        stack.stop();
        stack.start();
        Skopeo.pull(ref + ":v1", CREDS, e2e.dir("after-restart")).assertSuccess(List.of("skopeo copy (restarted)"));
        assertPulledExactly(e2e.dir("after-restart"));
    }

    /**
     * A client that fetched only the image manifest finds the image's blobs on their way into the cache: the
     * accelerator asked for them ahead of it, once each from the upstream; a later pull of the image gets them all.
     */
    @Test
    @Order(1)
    void aColdManifestBringsItsBlobsIntoTheCacheAheadOfTheClient() throws Exception {
        long groupId = stack.createGroup("e2e-ahead");
        RegistryHttp registry = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);

        byte[] manifest = registry.served("/v2/e2e-ahead/dependency_proxy/containers/e2e-ahead/manifests/v1");

        assertThat(Digests.sha256(manifest)).isEqualTo(aheadImage.manifest().digest());
        List<String> expected = aheadImage.blobs().stream().map(b -> Digests.hexOf(b.digest())).toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(storedBlobHashes(groupId))
                .containsExactlyInAnyOrderElementsOf(expected));
        Path pulled = e2e.dir("ahead");
        Skopeo.pull(stack.hostPort() + "/e2e-ahead/dependency_proxy/containers/e2e-ahead:v1", CREDS, pulled)
                .assertSuccess(List.of("skopeo copy (after the read-ahead)"));
        for (OciImageLayout.Descriptor blob : aheadImage.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest()))
                    .as("upstream GETs of %s", blob.digest()).isEqualTo(1);
            assertThat(Files.size(pulled.resolve("blobs/sha256").resolve(Digests.hexOf(blob.digest()))))
                    .isEqualTo(blob.size());
        }
    }

    @Test
    void refusesAPullWithoutValidCredentials() throws Exception {
        String ref = stack.hostPort() + "/e2e-denied/dependency_proxy/containers/e2e-app:v1";
        ExternalCommand.Result result = Skopeo.pull(ref, "root:not-a-token", e2e.dir("denied"));
        assertThat(result.exitCode()).isNotZero();
        assertThat(ProxyStack.filesUnder(e2e.dir("denied/blobs"))).isEmpty();
    }

    private static void assertPulledExactly(Path out) throws IOException {
        assertThat(hashOf(out.resolve("blobs/sha256").resolve(Digests.hexOf(image.manifest().digest()))))
                .isEqualTo(Digests.hexOf(image.manifest().digest()));
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            Path file = out.resolve("blobs/sha256").resolve(Digests.hexOf(blob.digest()));
            assertThat(file).as("pulled blob %s", blob.digest()).exists();
            assertThat(Files.size(file)).isEqualTo(blob.size());
            assertThat(hashOf(file)).isEqualTo(Digests.hexOf(blob.digest()));
        }
    }

    private static List<String> storedBlobHashes(long groupId) throws IOException {
        return stack.storedObjects("dependency_proxy/" + groupId + "/blobs").stream()
                .map(path -> path.getFileName().toString()).toList();
    }

    private static String hashOf(Path file) throws IOException {
        MessageDigest sha = Digests.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
