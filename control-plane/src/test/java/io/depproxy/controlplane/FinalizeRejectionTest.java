package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.authorize;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.finalizeUpload;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.UploadedFile;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finalize trusts only what is signed and what storage confirms; every rejection leaves no record and no temp object. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class FinalizeRejectionTest {
    static final byte[] BYTES = "the real bytes".getBytes(StandardCharsets.UTF_8);
    static final String DIGEST = Digests.sha256(BYTES);

    String group;

    @BeforeEach
    void newGroup() {
        group = unique("finalize");
        createGroup(group, null);
    }

    /** Authorizes {@code registryPath} and stores {@link #BYTES} in the temporary object, as the accelerator does. */
    private AuthorizeResponse uploaded(String registryPath) {
        AuthorizeResponse authorized = authorize(registryPath, (long) BYTES.length);
        assertThat(TestApi.put(authorized.remoteObject().storeUrl(), BYTES).statusCode()).isEqualTo(200);
        return authorized;
    }

    private static void assertTemporaryObjectDeleted(AuthorizeResponse authorized) {
        assertThat(TestApi.get(authorized.remoteObject().getUrl()).statusCode()).isEqualTo(404);
    }

    private static void assertNothingCached(String registryPath) {
        assertThat(injection(asRoot().get(registryPath))).isInstanceOf(SendDependency.class);
    }

    @Test
    void authorizeWithoutAValidInternalTokenIs401() {
        String blobPath = path(group, "img", "blobs", DIGEST);
        given().post(blobPath + "/upload/authorize")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        InternalJwt wrongKey = new InternalJwt(InternalSecret.fromBase64(InternalSecret.generateBase64()));
        given().header(Headers.API_REQUEST, wrongKey.apiRequestToken()).post(blobPath + "/upload/authorize")
                .then().statusCode(401);
        InternalJwt stale = new InternalJwt(Golden.secret(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        given().header(Headers.API_REQUEST, stale.apiRequestToken()).post(blobPath + "/upload/authorize")
                .then().statusCode(401);
    }

    @Test
    void authorizeForAnUnknownGroupIs404() {
        given().header(Headers.API_REQUEST, internalJwt().apiRequestToken())
                .post(path(unique("ghost"), "img", "blobs", DIGEST) + "/upload/authorize")
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void aDescriptorSignedWithAnotherKeyIsRejected() {
        String blobPath = path(group, unique("img"), "blobs", DIGEST);
        AuthorizeResponse authorized = uploaded(blobPath);
        InternalJwt forger = new InternalJwt(InternalSecret.fromBase64(InternalSecret.generateBase64()));

        finalizeUpload(blobPath, TestApi.uploaded(authorized, BYTES), forger, null, null)
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        assertTemporaryObjectDeleted(authorized);
        assertNothingCached(blobPath);
    }

    @Test
    void aSizeThatStorageDoesNotConfirmIsRejected() {
        String blobPath = path(group, unique("img"), "blobs", DIGEST);
        AuthorizeResponse authorized = uploaded(blobPath);
        UploadedFile lying = new UploadedFile("upload", BYTES.length + 1, Digests.hexOf(DIGEST),
                authorized.remoteObject().id(), null);

        finalizeUpload(blobPath, lying, internalJwt(), null, null)
                .then().statusCode(400).body("errors[0].code", equalTo("SIZE_INVALID"));
        assertTemporaryObjectDeleted(authorized);
        assertNothingCached(blobPath);
    }

    @Test
    void aBlobThatHashesToAnotherDigestIsRejected() {
        String requested = Digests.sha256("what the client asked for".getBytes());
        String blobPath = path(group, unique("img"), "blobs", requested);
        AuthorizeResponse authorized = uploaded(blobPath);

        finalizeUpload(blobPath, TestApi.uploaded(authorized, BYTES), internalJwt(), null, null)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        assertTemporaryObjectDeleted(authorized);
        assertNothingCached(blobPath);
    }

    @Test
    void aManifestWithAnUnknownMediaTypeIsRejected() {
        String manifestPath = path(group, unique("img"), "manifests", "latest");
        AuthorizeResponse authorized = uploaded(manifestPath);

        finalizeUpload(manifestPath, TestApi.uploaded(authorized, BYTES), internalJwt(), DIGEST, "text/html")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        assertTemporaryObjectDeleted(authorized);
    }

    @Test
    void aManifestWhoseUpstreamDigestDisagreesIsRejected() {
        String manifestPath = path(group, unique("img"), "manifests", "latest");
        AuthorizeResponse authorized = uploaded(manifestPath);
        String other = Digests.sha256("other".getBytes());

        finalizeUpload(manifestPath, TestApi.uploaded(authorized, BYTES), internalJwt(), other,
                MediaTypes.DOCKER_MANIFEST + "; charset=utf-8")
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        assertTemporaryObjectDeleted(authorized);
    }

    @Test
    void aManifestPulledByAnotherDigestIsRejected() {
        String manifestPath = path(group, unique("img"), "manifests", Digests.sha256("other".getBytes()));
        AuthorizeResponse authorized = uploaded(manifestPath);

        finalizeUpload(manifestPath, TestApi.uploaded(authorized, BYTES), internalJwt(), null, MediaTypes.OCI_MANIFEST)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        assertTemporaryObjectDeleted(authorized);
    }

    @Test
    void aMissingTemporaryObjectIsRejected() {
        String blobPath = path(group, unique("img"), "blobs", DIGEST);
        AuthorizeResponse authorized = authorize(blobPath, (long) BYTES.length);

        finalizeUpload(blobPath, TestApi.uploaded(authorized, BYTES), internalJwt(), null, null)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        assertNothingCached(blobPath);
    }

    @Test
    void finalizeWithoutAValidInternalTokenIs401() {
        given().contentType("application/x-www-form-urlencoded").body(Golden.read("finalize-form.txt"))
                .post(path(group, "img", "blobs", Golden.DIGEST) + "/upload")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void theGoldenFinalizeFormVerifiesWithTheSharedSecretAndHasExpired() {
        Response response = given().header(Headers.API_REQUEST, internalJwt().apiRequestToken())
                .contentType("application/x-www-form-urlencoded").body(Golden.read("finalize-form.txt"))
                .post(path("acme", "alpine", "blobs", Golden.DIGEST) + "/upload");
        // the signature and the route passed: what fails is its exp, long past
        response.then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .body("errors[0].message", containsString("expired"));
    }

    @Test
    void aDescriptorReplayedForAnotherDigestOrGroupIsRejected() {
        String blobPath = path(group, unique("img"), "blobs", DIGEST);
        AuthorizeResponse authorized = uploaded(blobPath);
        String otherGroup = unique("finalize");
        createGroup(otherGroup, null);
        String sameBlobInOtherGroup = path(otherGroup, unique("img"), "blobs", DIGEST);
        String otherDigest = path(group, unique("img"), "blobs", Digests.sha256("other".getBytes()));
        UploadedFile file = TestApi.uploaded(authorized, BYTES);

        finalizeUpload(sameBlobInOtherGroup, blobPath + "/upload", file, internalJwt(), null, null)
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        finalizeUpload(otherDigest, blobPath + "/upload", file, internalJwt(), null, null)
                .then().statusCode(401);
        assertNothingCached(sameBlobInOtherGroup);
        assertNothingCached(otherDigest);
        assertNothingCached(blobPath);
    }

    @Test
    void anExpiredDescriptorIsRejected() {
        String blobPath = path(group, unique("img"), "blobs", DIGEST);
        AuthorizeResponse authorized = uploaded(blobPath);
        InternalJwt lateSigner = new InternalJwt(Golden.secret(), Clock.offset(Clock.systemUTC(),
                Duration.ofMinutes(-5)));

        finalizeUpload(blobPath, TestApi.uploaded(authorized, BYTES), lateSigner, null, null)
                .then().statusCode(401).body("errors[0].message", containsString("expired"));
        assertTemporaryObjectDeleted(authorized);
        assertNothingCached(blobPath);
    }

    @Test
    void aStoredManifestCanBeReplacedByANewUploadOfTheSameTag() {
        String image = unique("img");
        String manifestPath = path(group, image, "manifests", "v1");
        TestApi.storeThroughAccelerator(manifestPath, BYTES, DIGEST, MediaTypes.OCI_MANIFEST).then().statusCode(200);
        byte[] newer = "newer bytes".getBytes(StandardCharsets.UTF_8);
        TestApi.storeThroughAccelerator(manifestPath, newer, Digests.sha256(newer), MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        asRoot().head(path(group, image, "manifests", Digests.sha256(newer))).then().statusCode(200)
                .header("Content-Length", String.valueOf(newer.length));
    }
}
