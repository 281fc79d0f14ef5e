package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Range headers a client should not send, on a hit: the hot-tier copy and object storage answer each alike, as
 * RFC 9110 says (a header that does not parse as one byte range is ignored: 200 and the whole object; one that
 * parses but cannot be satisfied is 416 with {@code Content-Range: bytes *}{@code /size}), never a 5xx.
 */
class RangeAbuseTest extends AcceleratorTestBase {
    private static final String STORAGE_ONLY = GROUP_PATH + "/blobs/sha256:" + "b".repeat(64);
    private final Buffer bytes = randomBytes(64 * 1024 + 3, 60);
    private final String digest = digestOf(bytes);

    @Override
    protected long hotCacheMaxBytes() {
        return 1024 * 1024;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bytes=5-2 | 200",
            "bytes=-0 | 416",
            "bytes=0-1,5-9 | 200",
            "bytes=0-99999999999999999999 | 200",
            "bytes=9223372036854775808- | 200",
            "bytes=9223372036854775807- | 416",
            "items=0-10 | 200",
            "bytes= | 200",
            "bytes=- | 200",
            "bytes=abc-def | 200",
            "bytes=65539- | 416",
            "bytes=-70000 | 206",
            "bytes = 10 - 19 | 206",
    })
    void hotTierAndObjectStorageAnswerAlike(String range, int expected) {
        store.put("dependency_proxy/1/blobs/x", bytes);
        String url = store.url("dependency_proxy/1/blobs/x", "X-Amz-Signature=get");
        controlPlane.inject(blobPath(digest), SendUrl.proxy(url, hitHeaders(), digest));
        controlPlane.inject(STORAGE_ONLY, SendUrl.proxy(url, hitHeaders()));
        get(blobPath(digest));
        Await.await("hot copy").until(() -> shared.hot().find(digest).isPresent());

        ClientResponse hot = get(blobPath(digest), "Range", range);
        ClientResponse stored = get(STORAGE_ONLY, "Range", range);

        assertThat(store.requests("GET")).hasSize(2);
        for (ClientResponse response : List.of(hot, stored)) {
            assertThat(response.status()).isEqualTo(expected);
            assertThat(response.completed()).isTrue();
        }
        assertThat(stored.header("Content-Range")).isEqualTo(hot.header("Content-Range"));
        assertThat(stored.body()).isEqualTo(hot.body());
        if (expected == 200) {
            assertThat(hot.body()).isEqualTo(bytes);
        } else if (expected == 416) {
            assertThat(hot.header("Content-Range")).isEqualTo("bytes */" + bytes.length());
        }
    }

    private HeaderMap hitHeaders() {
        return HeaderMap.of(Map.of("Content-Type", List.of(MediaTypes.OCTET_STREAM),
                Headers.DOCKER_CONTENT_DIGEST, List.of(digest), Headers.CACHE_STATUS, List.of("hit")));
    }
}
