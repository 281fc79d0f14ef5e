package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hot tier as a client sees it: the first hit reads object storage and keeps a verified copy, later hits are
 * answered from local disk with the same bytes and headers, and a copy that is missing, changed or was never
 * verified is never served.
 */
class HotTierTest extends AcceleratorTestBase {
    private static final long LIMIT = 8L * 1024 * 1024;
    private final Buffer bytes = randomBytes(1024 * 1024 + 17, 40);
    private final String digest = digestOf(bytes);

    @Override
    protected long hotCacheMaxBytes() {
        return LIMIT;
    }

    @Test
    void servesLaterHitsFromLocalDiskWithTheSameBytesAndHeaders() {
        hit(bytes, digest, "a");

        ClientResponse first = get(blobPath(digest));
        awaitHot(digest);
        ClientResponse second = get(blobPath(digest));

        assertThat(store.requests("GET")).hasSize(1);
        for (ClientResponse response : List.of(first, second)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(bytes.length()));
            assertThat(response.header("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
            assertThat(response.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
            assertThat(response.header(Headers.CACHE_STATUS)).isEqualTo("hit");
        }
        assertThat(metric("accel_hot_tier_lookups_total{result=\"hit\"}")).isEqualTo(1);
    }

    @Test
    void honoursRangeFromLocalDisk() {
        hit(bytes, digest, "a");
        get(blobPath(digest));
        awaitHot(digest);

        ClientResponse middle = get(blobPath(digest), "Range", "bytes=100-1099");
        ClientResponse open = get(blobPath(digest), "Range", "bytes=1048570-");
        ClientResponse suffix = get(blobPath(digest), "Range", "bytes=-10");
        ClientResponse beyond = get(blobPath(digest), "Range", "bytes=" + bytes.length() + "-");

        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(bytes.slice(100, 1100));
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 100-1099/" + bytes.length());
        assertThat(middle.header("Content-Length")).isEqualTo("1000");
        assertThat(middle.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
        assertThat(open.body()).isEqualTo(bytes.slice(1048570, bytes.length()));
        assertThat(suffix.body()).isEqualTo(bytes.slice(bytes.length() - 10, bytes.length()));
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + bytes.length());
        assertThat(store.requests("GET")).hasSize(1);
    }

    @Test
    void neverKeepsBytesThatDoNotHashToTheDigest() {
        Buffer other = randomBytes(bytes.length(), 41);
        hit(other, digest, "a");

        get(blobPath(digest));
        Await.await("fill settled").until(() -> shared.hot().usedBytes() == 0);
        get(blobPath(digest));

        assertThat(shared.hot().find(digest)).isEmpty();
        assertThat(store.requests("GET")).hasSize(2);
        assertThat(hotFiles()).isEmpty();
    }

    @Test
    void fallsBackToObjectStorageWhenTheCopyIsMissingOrChanged() throws IOException {
        hit(bytes, digest, "a");
        get(blobPath(digest));
        Path copy = awaitHot(digest);

        Files.delete(copy);
        ClientResponse missing = get(blobPath(digest));
        Path refilled = awaitHot(digest);
        Files.write(refilled, randomBytes(bytes.length(), 42).getBytes());
        Files.setLastModifiedTime(refilled, FileTime.fromMillis(Files.getLastModifiedTime(refilled).toMillis() + 5000));
        ClientResponse changed = get(blobPath(digest));

        assertThat(missing.body()).isEqualTo(bytes);
        assertThat(changed.body()).isEqualTo(bytes);
        assertThat(store.requests("GET")).hasSize(3);
        assertThat(metric("accel_hot_tier_lookups_total{result=\"stale\"}")).isEqualTo(2);
    }

    @Test
    void keepsVerifiedFilesAcrossARestartAndDeletesEverythingElse() throws IOException {
        hit(bytes, digest, "a");
        get(blobPath(digest));
        awaitHot(digest);
        Path hot = config.hotCacheDir();
        Buffer forged = randomBytes(4096, 43);
        Path corrupt = hot.resolve("sha256").resolve(hexOf(randomBytes(4096, 44)));
        Files.write(corrupt, forged.getBytes());
        Path badName = hot.resolve("sha256").resolve("not-a-digest");
        Files.write(badName, forged.getBytes());
        Path halfWritten = hot.resolve("tmp").resolve("leftover.part");
        Files.write(halfWritten, forged.getBytes());

        int restarted = startAccelerator(config);
        Await.result(shared.hot().recovered());
        ClientResponse response = call(restarted, io.vertx.core.http.HttpMethod.GET, blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        assertThat(store.requests("GET")).hasSize(1);
        assertThat(corrupt).doesNotExist();
        assertThat(badName).doesNotExist();
        assertThat(halfWritten).doesNotExist();
    }

    @Test
    void evictsTheLeastRecentlyServedToStayUnderItsLimit() {
        int size = 3 * 1024 * 1024;
        Buffer[] objects = {randomBytes(size, 50), randomBytes(size, 51), randomBytes(size, 52)};
        for (int i = 0; i < objects.length; i++) {
            String objectDigest = digestOf(objects[i]);
            hit(objects[i], objectDigest, "o" + i);
            assertThat(get(blobPath(objectDigest)).body()).isEqualTo(objects[i]);
            awaitHot(objectDigest);
            if (i == 1) {
                get(blobPath(digestOf(objects[0])));
            }
        }

        assertThat(shared.hot().find(digestOf(objects[0]))).isPresent();
        assertThat(shared.hot().find(digestOf(objects[1]))).isEmpty();
        assertThat(shared.hot().find(digestOf(objects[2]))).isPresent();
        Await.await("evicted file deleted").until(() -> hotFiles().size() == 2);
        assertThat(hotFiles().stream().mapToLong(HotTierTest::sizeOf).sum()).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void keepsAVerifiedDownloadSoTheFirstHitNeedsNoObjectStorage() {
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));
        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("stored").until(() -> controlPlane.finalizeCalls().size() == 1);
        awaitHot(digest);

        hit(bytes, digest, "a");
        ClientResponse response = get(blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        assertThat(store.requests("GET")).isEmpty();
    }

    private void hit(Buffer stored, String objectDigest, String key) {
        store.put("dependency_proxy/1/blobs/" + key, stored);
        controlPlane.inject(blobPath(objectDigest), SendUrl.proxy(
                store.url("dependency_proxy/1/blobs/" + key, "X-Amz-Signature=get"),
                HeaderMap.of(Map.of("Content-Type", List.of(MediaTypes.OCTET_STREAM),
                        Headers.DOCKER_CONTENT_DIGEST, List.of(objectDigest),
                        Headers.CACHE_STATUS, List.of("hit"))), objectDigest));
    }

    private Path awaitHot(String objectDigest) {
        Await.await("hot copy of " + objectDigest).until(() -> shared.hot().find(objectDigest).isPresent());
        return shared.hot().find(objectDigest).orElseThrow().path();
    }

    private List<Path> hotFiles() {
        try (Stream<Path> files = Files.list(config.hotCacheDir().resolve("sha256"))) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private long metric(String series) {
        return shared.metrics().render().lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst()
                .orElse(-1);
    }
}
