package io.depproxy.contracts.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryErrorBodyTest {
    @Test
    void writesTheDistributionSpecShape() {
        assertThat(RegistryErrorBody.json(RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown"))
                .isEqualTo("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
    }

    @Test
    void mapsStatusesToCodesClientsUnderstand() {
        assertThat(RegistryErrorCode.forStatus(502)).isEqualTo(RegistryErrorCode.UNAVAILABLE);
        assertThat(RegistryErrorCode.forStatus(429).status()).isEqualTo(429);
        assertThat(RegistryErrorCode.BLOB_UNKNOWN.status()).isEqualTo(404);
    }
}
