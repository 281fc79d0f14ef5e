package io.depproxy.contracts.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.Golden;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.auth.InvalidTokenException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadContractTest {
    private final InternalJwt jwt = new InternalJwt(Golden.secret());

    @Test
    void authorizeResponseMatchesTheGoldenJson() {
        assertThat(Golden.authorizeResponse().toJson()).isEqualTo(Golden.read("authorize-response.json"));
        assertThat(AuthorizeResponse.fromJson(Golden.read("authorize-response.json"))).isEqualTo(Golden.authorizeResponse());
    }

    @Test
    void finalizeFormMatchesTheGoldenString() {
        assertThat(FinalizeForm.encode(Golden.uploadedFile(), jwt)).isEqualTo(Golden.read("finalize-form.txt"));
    }

    @Test
    void verifiesTheSignedCopyAndIgnoresTheUnsignedFields() {
        Map<String, String> form = FinalizeForm.parse(Golden.read("finalize-form.txt"));
        form.put("file.size", "1");
        form.put("file.sha256", "0".repeat(64));
        UploadedFile file = FinalizeForm.verify(form, jwt);
        assertThat(file).isEqualTo(Golden.uploadedFile());
        assertThat(file.digest()).isEqualTo(Golden.DIGEST);
    }

    @Test
    void rejectsAFormSignedWithAnotherSecret() {
        InternalJwt other = new InternalJwt(InternalSecret.fromBase64(InternalSecret.generateBase64()));
        Map<String, String> form = FinalizeForm.parse(FinalizeForm.encode(Golden.uploadedFile(), other));
        assertThatThrownBy(() -> FinalizeForm.verify(form, jwt)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void rejectsAFormWithoutTheSignedField() {
        assertThatThrownBy(() -> FinalizeForm.verify(Map.of("file.size", "3"), jwt))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("gitlab-workhorse-upload");
    }

    @Test
    void multipartCapacityIsPartSizeTimesParts() {
        assertThat(Golden.authorizeResponse().remoteObject().multipartUpload().capacity()).isEqualTo(5_242_880);
    }
}
