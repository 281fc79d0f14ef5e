package io.depproxy.contracts;

import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.MultipartUpload;
import io.depproxy.contracts.upload.RemoteObject;
import io.depproxy.contracts.upload.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The golden values and their wire strings in {@code golden/*.txt}. Published in the test-jar: the accelerator
 * and the control plane test against the same files, so a change on one side breaks the other's build.
 */
public final class Golden {
    public static final String DIGEST = "sha256:" + "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    private Golden() {
    }

    public static String read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InternalSecret secret() {
        return InternalSecret.fromBase64(read("internal-secret.txt"));
    }

    public static SendUrl sendUrl() {
        return SendUrl.proxy("https://s3.example.com/bucket/dependency_proxy/1/blobs/x?X-Amz-Signature=abc",
                HeaderMap.of(Map.of(Headers.DOCKER_CONTENT_DIGEST, List.of(DIGEST),
                        "Content-Type", List.of(MediaTypes.OCTET_STREAM))));
    }

    /** A blob hit as the control plane sends it since the hot tier: the same object, with its digest. */
    public static SendUrl sendUrlWithDigest() {
        return SendUrl.proxy("https://s3.example.com/bucket/dependency_proxy/1/blobs/x?X-Amz-Signature=abc",
                HeaderMap.of(Map.of(Headers.DOCKER_CONTENT_DIGEST, List.of(DIGEST),
                        "Content-Type", List.of(MediaTypes.OCTET_STREAM))), DIGEST);
    }

    /** Where the golden blob hit reports that its object is gone (a request-URI on the control plane). */
    public static final String MISSING_URL = "/-/internal/missing-objects?key=dependency_proxy%2F1%2Fblobs%2Fsha256%2F"
            + "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    /** A blob hit as the control plane sends it since missing objects heal: with the report's address. */
    public static SendUrl sendUrlReportingMissing() {
        return sendUrlWithDigest().withMissingUrl(MISSING_URL);
    }

    public static SendDependency sendDependency() {
        return new SendDependency(
                "https://registry-1.docker.io/v2/library/alpine/blobs/" + DIGEST,
                HeaderMap.single("Authorization", "Bearer upstream-token"),
                HeaderMap.empty(),
                new UploadTarget("POST", "/v2/acme/dependency_proxy/containers/alpine/blobs/" + DIGEST + "/upload",
                        HeaderMap.empty()),
                DIGEST,
                "blob:1:2:library/alpine@" + DIGEST,
                AuthorizeResponse.MAX_BLOB_SIZE);
    }

    /** A miss as the control plane sends it since per-upstream metrics: naming the upstream it fetches from. */
    public static SendDependency sendDependencyFromUpstream() {
        return sendDependency().withUpstreamName("docker.io");
    }

    /** A miss another replica is fetching: stream it from that replica's peer route. */
    public static io.depproxy.contracts.senddata.SendPeer sendPeer() {
        String key = "blob:1:2:library/alpine@" + DIGEST;
        return new io.depproxy.contracts.senddata.SendPeer(
                io.depproxy.contracts.peer.FetchLeases.peerFetchUrl("http://10.1.2.3:8090", key), DIGEST, 3_145_728L,
                HeaderMap.empty(),
                HeaderMap.of(Map.of("Content-Type", List.of(MediaTypes.OCTET_STREAM),
                        Headers.CACHE_STATUS, List.of("miss"))),
                io.depproxy.contracts.peer.FetchLeases.peerGoneUrl("http://10.1.2.3:8090", key));
    }

    public static AuthorizeResponse authorizeResponse() {
        return new AuthorizeResponse(new RemoteObject("tmp-1234",
                "https://s3.example.com/b/tmp/uploads/tmp-1234?sig=get",
                "https://s3.example.com/b/tmp/uploads/tmp-1234?sig=put",
                "https://s3.example.com/b/tmp/uploads/tmp-1234?sig=delete",
                14400,
                new MultipartUpload(5_242_880, List.of("https://s3.example.com/b/tmp/uploads/tmp-1234?partNumber=1"),
                        "https://s3.example.com/b/tmp/uploads/tmp-1234?uploadId=u", 
                        "https://s3.example.com/b/tmp/uploads/tmp-1234?uploadId=u&abort")),
                AuthorizeResponse.MAX_BLOB_SIZE);
    }

    /** The instant the golden finalize form was signed at (its {@code exp} is 90 s later). */
    public static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");
    public static final Duration UPLOAD_GRACE = Duration.ofSeconds(60);

    /** The path the golden finalize form is bound to: the golden send-dependency's {@code UploadConfig.Url}. */
    public static String uploadPath() {
        return sendDependency().uploadConfig().url();
    }

    public static UploadedFile uploadedFile() {
        return new UploadedFile("upload", 2_100_000, Digests.hexOf(DIGEST), "tmp-1234",
                "https://s3.example.com/b/tmp/uploads/tmp-1234?sig=get");
    }
}
