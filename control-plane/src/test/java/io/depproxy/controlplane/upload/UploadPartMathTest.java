package io.depproxy.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.upload.AuthorizeResponse;
import org.junit.jupiter.api.Test;

/** GitLab's multipart math (protocol.md §6). */
class UploadPartMathTest {

    @Test
    void aBlobGetsAHundredPartsOf55MiB() {
        assertThat(UploadAuthorizeService.partCount(AuthorizeResponse.MAX_BLOB_SIZE)).isEqualTo(100);
        assertThat(UploadAuthorizeService.partSize(AuthorizeResponse.MAX_BLOB_SIZE)).isEqualTo(57_671_680L);
    }

    @Test
    void aManifestGetsTwoPartsOf5MiB() {
        assertThat(UploadAuthorizeService.partCount(AuthorizeResponse.MAX_MANIFEST_SIZE)).isEqualTo(2);
        assertThat(UploadAuthorizeService.partSize(AuthorizeResponse.MAX_MANIFEST_SIZE)).isEqualTo(5_242_880L);
    }

    @Test
    void thePartsAlwaysHoldTheMaximum() {
        for (long max : new long[] {1, 5_242_879, 5_242_881, 123_456_789, AuthorizeResponse.MAX_BLOB_SIZE}) {
            assertThat(UploadAuthorizeService.partSize(max) * UploadAuthorizeService.partCount(max))
                    .isGreaterThanOrEqualTo(max);
        }
    }
}
