package io.depproxy.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Outside dev mode the control plane refuses to start without the registry token signing key; dev mode makes its own
 * (the encryption key: {@code EncryptionKeyTest}).
 */
class StartupKeysTest {

    @Test
    void withoutASigningKeyFileProductionRefusesToStartAndDevGeneratesOne() {
        assertThatThrownBy(() -> RegistryKeys.load(Optional.empty(), LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DP_JWT_PRIVATE_KEY_FILE must be set");
        assertThatThrownBy(() -> RegistryKeys.load(Optional.of(" "), LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class);
        assertThat(RegistryKeys.load(Optional.empty(), LaunchMode.DEVELOPMENT).getPrivate()).isNotNull();
    }
}
