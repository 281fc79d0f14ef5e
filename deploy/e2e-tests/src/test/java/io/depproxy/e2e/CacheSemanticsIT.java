package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the anchors get wrong, against a real upstream: multi-arch, moved tags, HEAD, integrity, coalescing. */
class CacheSemanticsIT {
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static FaultyLink link;
    private static ProxyStack stack;
    private static RegistryHttp registry;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        link = e2e.closeAtEnd(FaultyLink.to("upstream-link", URI.create(upstream.url()).getPort()));
        stack = e2e.stackBehind(link.url());
        registry = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
    }

    @Test
    void pullingOnePlatformOfAnIndexFetchesOnlyThatPlatform() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image amd64 = layout.image("amd64", 1_000, 200_000);
        OciImageLayout.Image arm64 = layout.image("arm64", 1_500, 300_000);
        layout.tag("v1", layout.index(List.of(amd64, arm64)));
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/multi:v1", true);
        stack.createGroup("multiarch");
        String ref = stack.hostPort() + "/multiarch/dependency_proxy/containers/multi:v1";

        Skopeo.pull(ref, CREDS, e2e.dir("arm"), "--override-arch", "arm64").assertSuccess(List.of("pull arm64"));
        assertFetchedOnce(arm64);
        assertNotFetched(amd64);

        Skopeo.pull(ref, CREDS, e2e.dir("amd"), "--override-arch", "amd64").assertSuccess(List.of("pull amd64"));
        assertFetchedOnce(amd64);
        assertFetchedOnce(arm64);

        Podman podman = new Podman(e2e.dir("podman-multiarch"));
        podman.run("pull", "--tls-verify=false", "--creds", CREDS, "--arch", "arm64", ref)
                .assertSuccess(List.of("podman pull --arch arm64"));
        assertThat(podman.run("image", "inspect", "--format", "{{.Architecture}}", ref).output()).contains("arm64");
        assertFetchedOnce(arm64);
    }

    @Test
    void aTagMovedUpstreamIsServedWithItsNewDigest() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image first = layout.image("amd64", 1_000);
        OciImageLayout.Image second = layout.image("amd64", 2_000);
        layout.tag("first", first.manifest());
        layout.tag("second", second.manifest());
        Skopeo.push(layout.dir(), "first", upstream.hostPort() + "/library/moving:latest", false);
        stack.createGroup("moving");
        String path = "/v2/moving/dependency_proxy/containers/moving/manifests/latest";
        String upstreamRaw = Skopeo.inspectRaw(upstream.hostPort() + "/library/moving:latest", "x:y");
        assertThat(manifestDigest(path)).as("upstream has %s", upstreamRaw).isEqualTo(first.manifest().digest());

        Skopeo.push(layout.dir(), "second", upstream.hostPort() + "/library/moving:latest", false);
        assertThat(manifestDigest(path)).isEqualTo(second.manifest().digest());
    }

    @Test
    void headOnAnUncachedBlobAsksTheUpstreamWithHeadAndNeverDownloads() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 500_000);
        layout.tag("v1", image.manifest());
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/headonly:v1", false);
        stack.createGroup("headonly");
        OciImageLayout.Descriptor layer = image.blobs().get(1);

        long headsBefore = upstream.requests("HEAD", "/blobs/" + layer.digest());
        HttpResponse<Void> head = registry.head("/v2/headonly/dependency_proxy/containers/headonly/blobs/" + layer.digest());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(layer.digest());
        assertThat(upstream.requests("HEAD", "/blobs/" + layer.digest()) - headsBefore).isEqualTo(1);
        assertThat(upstream.requests("GET", "/blobs/" + layer.digest())).isZero();
    }

    @Test
    void aBlobTheUpstreamCorruptsIsNeverCachedAndThePullFails() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 2_000_000);
        layout.tag("v1", image.manifest());
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/corrupt:v1", false);
        OciImageLayout.Descriptor layer = image.blobs().get(1);
        upstream.corruptBlob(layer.digest());
        long groupId = stack.createGroup("corrupt");

        ExternalCommand.Result pull = Skopeo.pull(stack.hostPort() + "/corrupt/dependency_proxy/containers/corrupt:v1",
                CREDS, e2e.dir("corrupt-out"));

        assertThat(pull.exitCode()).as(pull.output()).isNotZero();
        assertThat(stack.storedObjects("dependency_proxy/" + groupId + "/blobs"))
                .noneMatch(p -> p.getFileName().toString().equals(Digests.hexOf(layer.digest())));
    }

    @Test
    void concurrentPullsOfOneUncachedBlobShareOneUpstreamDownload() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 64L * 1024 * 1024);
        layout.tag("v1", image.manifest());
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/big:v1", false);
        stack.createGroup("coalesce");
        OciImageLayout.Descriptor layer = image.blobs().get(1);
        String path = "/v2/coalesce/dependency_proxy/containers/big/blobs/" + layer.digest();

        List<BlobDownload> downloads = Stream.generate(() -> new BlobDownload(registry, path)).limit(8).toList();
        ExecutorService pool = Executors.newFixedThreadPool(downloads.size());
        long sentBefore = link.responseBytes();
        link.throttleResponses(4L * 1024 * 1024); // the one upstream download takes 16 s
        try {
            List<Future<BlobDownload.Outcome>> outcomes = downloads.stream().map(pool::submit).toList();
            // streamed, not stored first: every client has bytes while the upstream is still sending the blob
            await().atMost(Duration.ofSeconds(60)).until(() -> downloads.stream().allMatch(d -> d.received() > 0));
            assertThat(link.responseBytes() - sentBefore).as("bytes the upstream had sent when every client had some")
                    .isLessThan(layer.size());
            link.heal();
            for (Future<BlobDownload.Outcome> outcome : outcomes) {
                assertThat(outcome.get()).matches(o -> o.isExactly(layer.digest(), layer.size()), "the whole blob");
            }
        } finally {
            link.heal();
            pool.shutdownNow();
        }
        assertThat(upstream.requests("GET", "/blobs/" + layer.digest())).isEqualTo(1);
    }

    private static String manifestDigest(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = registry.get(path, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        String digest = Digests.sha256(response.body());
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        return digest;
    }

    private static void assertFetchedOnce(OciImageLayout.Image image) throws IOException {
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).as("GETs of %s (%s)", blob.digest(),
                    image.architecture()).isEqualTo(1);
        }
    }

    private static void assertNotFetched(OciImageLayout.Image image) throws IOException {
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).isZero();
        }
    }
}
