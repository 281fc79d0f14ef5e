package io.depproxy.contracts.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.Golden;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.auth.InvalidTokenException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadContractTest {
    private final InternalJwt jwt = at(Golden.SIGNED_AT);

    @Test
    void authorizeResponseMatchesTheGoldenJson() {
        assertThat(Golden.authorizeResponse().toJson()).isEqualTo(Golden.read("authorize-response.json"));
        assertThat(AuthorizeResponse.fromJson(Golden.read("authorize-response.json"))).isEqualTo(Golden.authorizeResponse());
    }

    @Test
    void finalizeFormMatchesTheGoldenString() {
        assertThat(encodeGolden(jwt)).isEqualTo(Golden.read("finalize-form.txt"));
    }

    @Test
    void verifiesTheSignedCopyAndIgnoresTheUnsignedFields() {
        Map<String, String> form = FinalizeForm.parse(Golden.read("finalize-form.txt"));
        form.put("file.size", "1");
        form.put("file.sha256", "0".repeat(64));
        UploadedFile file = FinalizeForm.verify(form, jwt, Golden.uploadPath());
        assertThat(file).isEqualTo(Golden.uploadedFile());
        assertThat(file.digest()).isEqualTo(Golden.DIGEST);
    }

    @Test
    void signsOnlyThePathOfAnAbsoluteUploadUrl() {
        Map<String, String> form = FinalizeForm.parse(FinalizeForm.encode(Golden.uploadedFile(),
                "http://control-plane:8081" + Golden.uploadPath() + "?x=1", Golden.UPLOAD_GRACE, jwt));
        assertThat(FinalizeForm.verify(form, jwt, Golden.uploadPath())).isEqualTo(Golden.uploadedFile());
    }

    @Test
    void rejectsAFormReplayedOnAnotherRoute() {
        Map<String, String> form = FinalizeForm.parse(Golden.read("finalize-form.txt"));
        String otherDigest = Golden.uploadPath().replace("a3ed95", "b3ed95");
        String otherGroup = Golden.uploadPath().replace("/v2/acme/", "/v2/other/");
        assertThatThrownBy(() -> FinalizeForm.verify(form, jwt, otherDigest))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("another upload route");
        assertThatThrownBy(() -> FinalizeForm.verify(form, jwt, otherGroup))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("another upload route");
    }

    @Test
    void expiresAfterTheUploadGracePlusTheMargin() {
        Map<String, String> form = FinalizeForm.parse(Golden.read("finalize-form.txt"));
        long validSeconds = Golden.UPLOAD_GRACE.plus(FinalizeForm.EXPIRY_MARGIN).getSeconds();
        InternalJwt justValid = at(Golden.SIGNED_AT.plusSeconds(validSeconds));
        assertThat(FinalizeForm.verify(form, justValid, Golden.uploadPath())).isEqualTo(Golden.uploadedFile());
        InternalJwt later = at(Golden.SIGNED_AT.plusSeconds(validSeconds + 31));
        assertThatThrownBy(() -> FinalizeForm.verify(form, later, Golden.uploadPath()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void rejectsASignedDescriptorWithoutExpiry() {
        String unexpiring = jwt.sign(Map.of("upload", Map.of("name", "upload", "size", 1, "sha256", "a".repeat(64),
                "remote_id", "tmp-1"), "path", Golden.uploadPath()));
        assertThatThrownBy(() -> FinalizeForm.verify(Map.of(FinalizeForm.SIGNED_FIELD, unexpiring), jwt,
                Golden.uploadPath())).isInstanceOf(InvalidTokenException.class).hasMessageContaining("no exp");
    }

    @Test
    void rejectsAFormSignedWithAnotherSecret() {
        InternalJwt other = new InternalJwt(InternalSecret.fromBase64(InternalSecret.generateBase64()),
                Clock.fixed(Golden.SIGNED_AT, ZoneOffset.UTC));
        Map<String, String> form = FinalizeForm.parse(encodeGolden(other));
        assertThatThrownBy(() -> FinalizeForm.verify(form, jwt, Golden.uploadPath()))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void rejectsAFormWithoutTheSignedField() {
        assertThatThrownBy(() -> FinalizeForm.verify(Map.of("file.size", "3"), jwt, Golden.uploadPath()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("gitlab-workhorse-upload");
    }

    @Test
    void multipartCapacityIsPartSizeTimesParts() {
        assertThat(Golden.authorizeResponse().remoteObject().multipartUpload().capacity()).isEqualTo(5_242_880);
    }

    private static String encodeGolden(InternalJwt signer) {
        return FinalizeForm.encode(Golden.uploadedFile(), Golden.uploadPath(), Golden.UPLOAD_GRACE, signer);
    }

    private static InternalJwt at(Instant instant) {
        return new InternalJwt(Golden.secret(), Clock.fixed(instant, ZoneOffset.UTC));
    }
}
