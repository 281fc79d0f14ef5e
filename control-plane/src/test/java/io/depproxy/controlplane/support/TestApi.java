package io.depproxy.controlplane.support;

import static io.restassured.RestAssured.given;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.UploadedFile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;

/** Test steps against the running control plane: groups, tokens, and the accelerator's side of an upload. */
public final class TestApi {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestApi() {
    }

    /** The accelerator's default upload grace period, which a descriptor's expiry is measured from. */
    public static final Duration UPLOAD_GRACE = Duration.ofSeconds(60);

    public static String adminToken() {
        return ConfigProvider.getConfig().getValue("dp.admin-token", String.class);
    }

    public static String s3Endpoint() {
        return ConfigProvider.getConfig().getValue("dp.s3.endpoint", String.class);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static long createGroup(String path, Long parentId) {
        Map<String, Object> body = parentId == null ? Map.of("name", path, "path", path)
                : Map.of("name", path, "path", path, "parent_id", parentId);
        return given().header("PRIVATE-TOKEN", adminToken()).contentType("application/json").body(body)
                .post("/api/v4/groups").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static String registryToken(String username, String secret) {
        return given().auth().preemptive().basic(username, secret)
                .queryParam("service", "dependency_proxy").queryParam("scope", "repository:x:pull")
                .get("/jwt/auth").then().statusCode(200).extract().path("token");
    }

    public static String rootRegistryToken() {
        return registryToken("root", adminToken());
    }

    public static RequestSpecification asRoot() {
        return given().header("Authorization", "Bearer " + rootRegistryToken());
    }

    /** The path of a blob only {@code upstream} has, in a new group of its own (named after {@code prefix}). */
    public static String coldBlobPath(FakeRegistry upstream, String prefix) {
        String group = unique(prefix);
        createGroup(group, null);
        String image = unique("blob");
        String digest = upstream.putBlob("library/" + image, unique("bytes").getBytes(StandardCharsets.UTF_8));
        return path(group, image, "blobs", digest);
    }

    public static String path(String group, String image, String kind, String reference) {
        return "/v2/" + group + "/dependency_proxy/containers/" + image + "/" + kind + "/" + reference;
    }

    public static InternalJwt internalJwt() {
        return new InternalJwt(Golden.secret());
    }

    public static Injection injection(Response response) {
        return SendDataCodec.decode(response.header(Headers.SEND_DATA));
    }

    /**
     * Asserts a manifest GET hit as the control plane answers it: the stored bytes themselves (no injection) with the
     * headers the accelerator would have sent from storage; returns the cache status header.
     */
    public static String manifestHit(Response response, byte[] body, String digest, String contentType) {
        response.then().statusCode(200)
                .header(Headers.SEND_DATA, Matchers.nullValue())
                .header("Content-Type", contentType)
                .header("Content-Length", String.valueOf(body.length))
                .header(Headers.DOCKER_CONTENT_DIGEST, digest)
                .header(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE);
        if (!Arrays.equals(response.asByteArray(), body)) {
            throw new AssertionError("the manifest body differs from the stored bytes");
        }
        return response.header(Headers.CACHE_STATUS);
    }

    /** True when a manifest GET was answered from the cache (hit or stale), whichever way it was sent. */
    public static boolean servedFromCache(Response response) {
        String status = response.header(Headers.CACHE_STATUS);
        return response.statusCode() == 200 && ("hit".equals(status) || "stale".equals(status));
    }

    /** The accelerator's authorize call; {@code length} null = unknown length. */
    public static AuthorizeResponse authorize(String registryPath, Long length) {
        RequestSpecification request = given().header(Headers.API_REQUEST, internalJwt().apiRequestToken());
        if (length != null) {
            request.header(Headers.UPLOAD_LENGTH, length);
        }
        String body = request.post(registryPath + "/upload/authorize").then().statusCode(200)
                .contentType("application/vnd.gitlab-workhorse+json").extract().asString();
        return AuthorizeResponse.fromJson(body);
    }

    public static Response finalizeUpload(String registryPath, UploadedFile file, InternalJwt signer,
                                          String upstreamDigest, String upstreamContentType) {
        return finalizeUpload(registryPath, registryPath + "/upload", file, signer, upstreamDigest,
                upstreamContentType);
    }

    /** Finalize on {@code registryPath} with a descriptor signed for {@code signedUploadPath}. */
    public static Response finalizeUpload(String registryPath, String signedUploadPath, UploadedFile file,
                                          InternalJwt signer, String upstreamDigest, String upstreamContentType) {
        return finalizeUpload(registryPath, signedUploadPath, file, signer, upstreamDigest, upstreamContentType,
                null);
    }

    /** {@code upstreamId}: the upload header of the send-dependency (which upstream served it), or null. */
    public static Response finalizeUpload(String registryPath, String signedUploadPath, UploadedFile file,
                                          InternalJwt signer, String upstreamDigest, String upstreamContentType,
                                          String upstreamId) {
        RequestSpecification request = given().header(Headers.API_REQUEST, internalJwt().apiRequestToken())
                .contentType("application/x-www-form-urlencoded")
                .body(FinalizeForm.encode(file, signedUploadPath, UPLOAD_GRACE, signer));
        if (upstreamDigest != null) {
            request.header(Headers.DOCKER_CONTENT_DIGEST, upstreamDigest);
        }
        if (upstreamContentType != null) {
            request.header(Headers.PROXY_CONTENT_TYPE, upstreamContentType);
        }
        if (upstreamId != null) {
            request.header(Headers.UPSTREAM_ID, upstreamId);
        }
        return request.post(registryPath + "/upload");
    }

    /** Authorize, PUT to StoreURL, finalize — what the accelerator does after a verified download. */
    public static Response storeThroughAccelerator(String registryPath, byte[] bytes, String upstreamDigest,
                                                   String upstreamContentType) {
        return storeThroughAccelerator(registryPath, bytes, upstreamDigest, upstreamContentType, null);
    }

    /** As the accelerator stores a send-dependency's download, with the upstream id its upload headers carry. */
    public static Response storeThroughAccelerator(String registryPath, byte[] bytes, String upstreamDigest,
                                                   String upstreamContentType, String upstreamId) {
        AuthorizeResponse authorized = authorize(registryPath, (long) bytes.length);
        int status = put(authorized.remoteObject().storeUrl(), bytes).statusCode();
        if (status != 200) {
            throw new AssertionError("presigned PUT answered " + status);
        }
        return finalizeUpload(registryPath, registryPath + "/upload", uploaded(authorized, bytes), internalJwt(),
                upstreamDigest, upstreamContentType, upstreamId);
    }

    public static UploadedFile uploaded(AuthorizeResponse authorized, byte[] bytes) {
        return new UploadedFile("upload", bytes.length, Digests.hexOf(Digests.sha256(bytes)),
                authorized.remoteObject().id(), authorized.remoteObject().getUrl());
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(Digests.newSha256().digest(bytes));
    }

    public static HttpResponse<byte[]> put(String url, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    public static HttpResponse<byte[]> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** A request with a raw path, exactly as written (no client-side normalization or encoding). */
    public static HttpResponse<byte[]> rawGet(String baseUri, String rawPath, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(baseUri + rawPath)).header("Authorization", authorization).GET());
    }

    public static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
