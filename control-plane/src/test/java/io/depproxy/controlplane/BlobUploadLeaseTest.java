package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.authorize;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.finalizeUpload;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.put;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.depproxy.controlplane.support.TestApi.uploaded;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.UploadedFile;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FaultyMultipartStorage;
import io.depproxy.controlplane.upload.UploadAuthorizeService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Accelerators behind different control-plane replicas miss the same blob at once: the first authorize takes a
 * lease (a {@code processing} record), the others are refused, so they serve their clients without storing it again.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class BlobUploadLeaseTest {
    @Inject
    FaultyMultipartStorage multipart;

    @Test
    void aSecondStoreOfTheSameBlobIsRefusedWhileTheFirstHoldsTheLease() {
        String blobPath = blobPath("lease".getBytes(StandardCharsets.UTF_8));
        authorize(blobPath, 5L);

        authorizeStatus(blobPath).then().statusCode(409);
    }

    @Test
    void aStoredBlobIsNotStoredAgain() {
        byte[] bytes = "stored once".getBytes(StandardCharsets.UTF_8);
        String blobPath = blobPath(bytes);
        AuthorizeResponse authorized = authorize(blobPath, (long) bytes.length);
        put(authorized.remoteObject().storeUrl(), bytes);
        finalizeUpload(blobPath, uploaded(authorized, bytes), internalJwt(), null, null).then().statusCode(200);

        authorizeStatus(blobPath).then().statusCode(409);
    }

    @Test
    void aRejectedStoreGivesTheLeaseBackAtOnce() {
        byte[] bytes = "the real bytes".getBytes(StandardCharsets.UTF_8);
        String blobPath = blobPath(bytes);
        AuthorizeResponse authorized = authorize(blobPath, (long) bytes.length);
        byte[] wrong = "other bytes!!!".getBytes(StandardCharsets.UTF_8);
        put(authorized.remoteObject().storeUrl(), wrong);
        UploadedFile wrongFile = uploaded(authorized, wrong);
        finalizeUpload(blobPath, wrongFile, internalJwt(), null, null).then().statusCode(400);

        authorize(blobPath, (long) bytes.length);
    }

    @Test
    void aStoreWhoseDescriptorIsRejectedGivesTheLeaseBackAtOnce() {
        byte[] bytes = "forged".getBytes(StandardCharsets.UTF_8);
        String blobPath = blobPath(bytes);
        AuthorizeResponse authorized = authorize(blobPath, (long) bytes.length);
        put(authorized.remoteObject().storeUrl(), bytes);
        InternalJwt expired = new InternalJwt(Golden.secret(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        finalizeUpload(blobPath, uploaded(authorized, bytes), expired, null, null).then().statusCode(401);

        authorize(blobPath, (long) bytes.length);
    }

    @Test
    void anotherStoreCannotReleaseTheLease() {
        byte[] bytes = "held by the first store".getBytes(StandardCharsets.UTF_8);
        String blobPath = blobPath(bytes);
        authorize(blobPath, (long) bytes.length);
        // another store (its own temporary object id) of the same blob is rejected: the first store's lease stays
        AuthorizeResponse other = authorize(blobPath("another blob".getBytes(StandardCharsets.UTF_8)), 5L);
        byte[] wrong = "wrong bytes".getBytes(StandardCharsets.UTF_8);
        put(other.remoteObject().storeUrl(), wrong);
        finalizeUpload(blobPath, uploaded(other, wrong), internalJwt(), null, null).then().statusCode(400);

        authorizeStatus(blobPath).then().statusCode(409);
    }

    @Test
    void anAuthorizeThatFailsOnObjectStorageGivesTheLeaseBackAtOnce() {
        String blobPath = blobPath("storage was down".getBytes(StandardCharsets.UTF_8));
        multipart.failNextCreate();
        given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).post(blobPath + "/upload/authorize")
                .then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));

        authorize(blobPath, null);
    }

    @Test
    void aStoreThatGivesUpHandsTheLeaseBackAtOnceButOnlyItsOwn() {
        String blobPath = blobPath("the upload failed".getBytes(StandardCharsets.UTF_8));
        AuthorizeResponse first = authorize(blobPath, 5L);
        AuthorizeResponse other = authorize(blobPath("another store".getBytes(StandardCharsets.UTF_8)), 5L);

        withdraw(blobPath, other.remoteObject().id()).then().statusCode(204);
        authorizeStatus(blobPath).then().statusCode(409);
        withdraw(blobPath, first.remoteObject().id()).then().statusCode(204);

        authorize(blobPath, 5L);
    }

    @Test
    void withdrawingNeedsTheInternalJwtAndAnAuthorizeId() {
        String blobPath = blobPath("withdraw input".getBytes(StandardCharsets.UTF_8));
        AuthorizeResponse held = authorize(blobPath, 5L);

        given().queryParam("remote_id", held.remoteObject().id()).delete(blobPath + "/upload/authorize")
                .then().statusCode(401);
        withdraw(blobPath, "../../blobs/x").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        authorizeStatus(blobPath).then().statusCode(409);
    }

    @Test
    void theLeaseCoversTheUploadAtOneMebibytePerSecondWithinBounds() {
        assertThat(UploadAuthorizeService.lease(5L)).isEqualTo(Duration.ofMinutes(2));
        assertThat(UploadAuthorizeService.lease(600L * 1024 * 1024))
                .isEqualTo(Duration.ofMinutes(12));
        assertThat(UploadAuthorizeService.lease(5L << 30)).isEqualTo(Duration.ofMinutes(30));
        assertThat(UploadAuthorizeService.lease(null)).isEqualTo(Duration.ofMinutes(30));
    }

    private static io.restassured.response.Response withdraw(String blobPath, String remoteId) {
        return given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).queryParam("remote_id", remoteId)
                .delete(blobPath + "/upload/authorize");
    }

    private static String blobPath(byte[] bytes) {
        String group = unique("lease");
        createGroup(group, null);
        return path(group, unique("img"), "blobs", Digests.sha256(bytes));
    }

    private static io.restassured.response.Response authorizeStatus(String blobPath) {
        return given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).header(Headers.UPLOAD_LENGTH, 5)
                .post(blobPath + "/upload/authorize");
    }
}
