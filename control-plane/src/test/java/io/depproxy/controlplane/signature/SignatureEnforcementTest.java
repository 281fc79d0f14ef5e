package io.depproxy.controlplane.signature;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.policy.PolicyService;
import io.depproxy.controlplane.policy.SignatureMode;
import io.depproxy.controlplane.policy.SignatureRequirement;
import io.depproxy.controlplane.policy.SigningKey;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.CosignSigner;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestSql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group's signature requirement on manifest pulls against an upstream registry: enforce refuses an unsigned or
 * wrongly signed image with 403 DENIED saying what is missing, warn serves and counts, off looks nothing up; an index's
 * signature covers its platform manifests; a check is remembered, and a cached signature serves when the upstream
 * is gone.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class SignatureEnforcementTest {
    private static final CosignSigner GROUP_KEY = CosignSigner.p256();

    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    PolicyService policies;
    @Inject
    MeterRegistry meters;
    @Inject
    EntityManager em;

    String group;
    long groupId;
    String image;
    String upstreamName;

    @BeforeEach
    void newGroupAndImage() {
        group = unique("signed");
        groupId = createGroup(group, null);
        image = unique("app");
        upstreamName = "library/" + image;
    }

    private void require(SignatureMode mode) {
        policies.replace(groupId, List.of(), new SignatureRequirement(mode,
                List.of(SigningKey.parse(GROUP_KEY.publicPem()))));
    }

    /** An image manifest under {@code tag} upstream; its digest. */
    private String putImage(String tag, String content) {
        return upstream.putManifest(upstreamName, tag, MediaTypes.OCI_MANIFEST, imageManifest(content));
    }

    private static byte[] imageManifest(String content) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"annotations\":{\"c\":\""
                + content + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Signs {@code digest} with {@code signer}, the payload naming {@code named}, under the signature tag upstream. */
    private void sign(String digest, String named, CosignSigner signer) {
        byte[] payload = CosignSigner.payload(named, "registry.test/" + upstreamName);
        upstream.putBlob(upstreamName, payload);
        upstream.putManifest(upstreamName, SignatureTags.signatureTag(digest), MediaTypes.OCI_MANIFEST,
                signer.signatureManifest(payload));
    }

    private Response get(String reference) {
        return asRoot().get(path(group, image, "manifests", reference));
    }

    private static void denied(Response response, String message) {
        response.then().statusCode(403).contentType(containsString("application/json"))
                .body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].message", containsString(message));
    }

    private double checks(String result) {
        Counter counter = meters.find("dp_signature_checks_total").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void enforceServesAnImageSignedByTheGroupsKey() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "signed");
        sign(digest, digest, GROUP_KEY);

        assertThat(injection(get("1.0").then().statusCode(200).extract().response()))
                .isInstanceOf(SendDependency.class);
        asRoot().head(path(group, image, "manifests", "1.0")).then().statusCode(200)
                .header(Headers.DOCKER_CONTENT_DIGEST, digest);
        assertThat(injection(get(digest).then().statusCode(200).extract().response()))
                .isInstanceOf(SendDependency.class);
    }

    @Test
    void enforceRefusesAnUnsignedImageNamingTheMissingSignatureTag() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "unsigned");
        String missing = "no signature found under tag sha256-" + Digests.hexOf(digest) + ".sig nor as a referrer";

        denied(get("1.0"), missing);
        denied(get(digest), missing);
        asRoot().head(path(group, image, "manifests", "1.0")).then().statusCode(403);
        assertThat(get("1.0").then().extract().body().asString()).isEqualTo("{\"errors\":[{\"code\":\"DENIED\","
                + "\"message\":\"image " + image + "@" + digest + " requires a valid signature by one of the group's"
                + " keys: " + missing + "\"}]}");
    }

    @Test
    void enforceRefusesAnImageSignedByAnotherKey() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "other key");
        sign(digest, digest, CosignSigner.p256());

        denied(get("1.0"), "a signature exists under tag sha256-" + Digests.hexOf(digest)
                + ".sig but none verifies with the group's key");
    }

    @Test
    void enforceRefusesASignatureWhosePayloadNamesAnotherDigest() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "moved");
        String other = putImage("0.9", "previous");
        sign(digest, other, GROUP_KEY);

        denied(get("1.0"), "signs another digest (its payload names " + other + ")");
    }

    @Test
    void aSignatureAttachedAsAReferrerCounts() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "referred");
        String unsigned = putImage("2.0", "referred, other key");
        byte[] payload = CosignSigner.payload(digest, "registry.test/" + upstreamName);
        upstream.putBlob(upstreamName, payload);
        String signature = upstream.putManifest(upstreamName, "signature-of-1.0", MediaTypes.OCI_MANIFEST,
                GROUP_KEY.signatureManifest(payload));
        byte[] otherPayload = CosignSigner.payload(unsigned, "registry.test/" + upstreamName);
        upstream.putBlob(upstreamName, otherPayload);
        String otherSignature = upstream.putManifest(upstreamName, "signature-of-2.0", MediaTypes.OCI_MANIFEST,
                CosignSigner.p256().signatureManifest(otherPayload));
        upstream.putReferrers(upstreamName, digest, referrers(signature));
        upstream.putReferrers(upstreamName, unsigned, referrers(otherSignature));

        get("1.0").then().statusCode(200);
        denied(get("2.0"), "a signature exists in referrer " + otherSignature + " but none verifies");
    }

    /** An OCI 1.1 referrers index listing one cosign signature manifest. */
    private static byte[] referrers(String signature) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + signature + "\",\"size\":1,\"artifactType\":"
                + "\"application/vnd.dev.cosign.artifact.sig.v1+json\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anArtifactAttachedToASignedImageIsServedButNotAnImageClaimingASubject() {
        require(SignatureMode.ENFORCE);
        String signed = putImage("1.0", "with sbom");
        sign(signed, signed, GROUP_KEY);
        String unsigned = putImage("2.0", "with sbom, unsigned");
        String sbom = putArtifact("sbom-1", signed, "application/vnd.oci.empty.v1+json");
        String sbomOfUnsigned = putArtifact("sbom-2", unsigned, "application/vnd.oci.empty.v1+json");
        String imageClaimingASubject = putArtifact("sneaky", signed, "application/vnd.oci.image.config.v1+json");

        get(sbom).then().statusCode(200);
        denied(get(sbomOfUnsigned), "no signature found");
        denied(get(imageClaimingASubject), "no signature found");
    }

    /** An OCI 1.1 manifest attached to {@code subject}, with a config of {@code configType}; its digest. */
    private String putArtifact(String tag, String subject, String configType) {
        return upstream.putManifest(upstreamName, tag, MediaTypes.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\",\"config\":{\"mediaType\":\""
                + configType + "\",\"digest\":\"" + Digests.sha256("{}".getBytes(StandardCharsets.UTF_8))
                + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + subject + "\",\"size\":1}}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void checksAreKeptForEveryReplicaAVerificationForDaysARefusalBriefly() {
        require(SignatureMode.ENFORCE);
        String signed = putImage("1.0", "kept");
        sign(signed, signed, GROUP_KEY);
        String unsigned = putImage("2.0", "kept, unsigned");

        get("1.0").then().statusCode(200);
        get("2.0").then().statusCode(403);

        String kept = "SELECT count(*) FROM dependency_proxy_signature_checks WHERE group_id = ?1 AND image = ?2"
                + " AND digest = ?3 AND outcome = ?4 AND expires_at BETWEEN now() + CAST(?5 AS interval)"
                + " AND now() + CAST(?6 AS interval)";
        assertThat(TestSql.count(em, kept, groupId, image, signed, "verified", "6 days", "8 days")).isEqualTo(1);
        assertThat(TestSql.count(em, kept, groupId, image, unsigned, "unsigned", "0 seconds", "2 minutes"))
                .isEqualTo(1);
    }

    @Test
    void warnServesAnUnsignedImageAndCountsIt() {
        require(SignatureMode.WARN);
        putImage("1.0", "warned");
        double before = checks("unsigned");

        assertThat(injection(get("1.0").then().statusCode(200).extract().response()))
                .isInstanceOf(SendDependency.class);
        assertThat(checks("unsigned")).isEqualTo(before + 1);
    }

    @Test
    void offLooksNothingUp() {
        require(SignatureMode.OFF);
        putImage("1.0", "unchecked");

        get("1.0").then().statusCode(200);
        assertThat(upstream.requestsFor(upstreamName)).isNotEmpty()
                .noneMatch(request -> request.contains(".sig"));
    }

    @Test
    void theSignatureTagsThemselvesAreServedUnsigned() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "attached");
        sign(digest, digest, GROUP_KEY);
        String hex = Digests.hexOf(digest);
        upstream.putManifest(upstreamName, "sha256-" + hex + ".att", MediaTypes.OCI_MANIFEST, "{\"a\":1}".getBytes());

        get("sha256-" + hex + ".sig").then().statusCode(200);
        get("sha256-" + hex + ".att").then().statusCode(200);
    }

    @Test
    void aPlatformManifestIsAcceptedWhenItsSignedIndexListsIt() {
        require(SignatureMode.ENFORCE);
        String amd64 = putImage("amd64-only", "linux/amd64");
        String arm64 = putImage("arm64-only", "linux/arm64");
        String unlisted = putImage("unlisted", "linux/s390x");
        String index = upstream.putManifest(upstreamName, "multi", MediaTypes.OCI_INDEX, ("{\"schemaVersion\":2,"
                + "\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + amd64 + "\",\"size\":1},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + arm64 + "\",\"size\":1}]}")
                .getBytes(StandardCharsets.UTF_8));
        sign(index, index, GROUP_KEY);

        denied(get(amd64), "no signature found");
        get("multi").then().statusCode(200);
        get(amd64).then().statusCode(200);
        asRoot().head(path(group, image, "manifests", arm64)).then().statusCode(200);
        denied(get(unlisted), "no signature found");
    }

    @Test
    void aVerifiedImageIsServedFromTheCacheWithTheUpstreamStopped() {
        require(SignatureMode.ENFORCE);
        String digest = putImage("1.0", "remembered");
        sign(digest, digest, GROUP_KEY);
        byte[] body = imageManifest("remembered");
        get("1.0").then().statusCode(200);
        assertThat(upstream.requestsFor(upstreamName)).anyMatch(request -> request.contains(".sig"));
        storeThroughAccelerator(path(group, image, "manifests", "1.0"), body, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        upstream.failRepository(upstreamName, 503);
        try {
            int before = upstream.requestsFor(upstreamName).size();
            double verified = checks("verified");

            get("1.0").then().statusCode(200).header(Headers.CACHE_STATUS, "stale");
            get(digest).then().statusCode(200).header(Headers.CACHE_STATUS, "hit");
            assertThat(checks("verified")).isEqualTo(verified + 2);
            // the tag was asked for (the stale answer); the signature was not looked up again
            assertThat(upstream.requestsFor(upstreamName).subList(before, upstream.requestsFor(upstreamName).size()))
                    .noneMatch(request -> request.contains(".sig"));
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }

    @Test
    void aCachedSignatureIsCheckedWhenTheUpstreamIsUnreachable() {
        String digest = putImage("1.0", "cached signature");
        byte[] body = imageManifest("cached signature");
        byte[] payload = CosignSigner.payload(digest, "registry.test/" + upstreamName);
        byte[] signature = GROUP_KEY.signatureManifest(payload);
        String signatureTag = SignatureTags.signatureTag(digest);
        // a client (or a prefetch) pulled the image and its signature through the cache before the group required it
        storeThroughAccelerator(path(group, image, "manifests", "1.0"), body, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        storeThroughAccelerator(path(group, image, "manifests", signatureTag), signature, Digests.sha256(signature),
                MediaTypes.OCI_MANIFEST).then().statusCode(200);
        storeThroughAccelerator(path(group, image, "blobs", Digests.sha256(payload)), payload,
                Digests.sha256(payload), null).then().statusCode(200);
        require(SignatureMode.ENFORCE);
        upstream.failRepository(upstreamName, 503);
        try {
            double verified = checks("verified");
            get("1.0").then().statusCode(200).header(Headers.CACHE_STATUS, "stale");
            assertThat(checks("verified")).isEqualTo(verified + 1);
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }

    @Test
    void withTheUpstreamUnreachableAndNothingCachedTheCheckCannotBeMade() {
        String digest = putImage("1.0", "unreachable");
        byte[] body = imageManifest("unreachable");
        storeThroughAccelerator(path(group, image, "manifests", "1.0"), body, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        require(SignatureMode.ENFORCE);
        upstream.failRepository(upstreamName, 503);
        try {
            Response refused = get("1.0");
            denied(refused, "could not be looked up");
            // a general reason, as for any upstream failure: neither the upstream's address nor its answer
            assertThat(refused.jsonPath().getString("errors[0].message"))
                    .doesNotContain("127.0.0.1").doesNotContain("answered").doesNotContain("GET ");
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }
}
