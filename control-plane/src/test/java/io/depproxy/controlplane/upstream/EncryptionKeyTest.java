package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside dev mode the control plane refuses to start without the key that seals upstream secrets; dev mode makes its
 * own (the registry token signing key: {@code StartupKeysTest}).
 */
class EncryptionKeyTest {

    @Test
    void withoutAnEncryptionKeyProductionRefusesToStartAndDevGeneratesOne() {
        assertThatThrownBy(() -> EncryptionKey.load(Optional.empty(), Optional.empty(), LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DP_ENCRYPTION_KEY or DP_ENCRYPTION_KEY_FILE must be set");
        assertThat(EncryptionKey.load(Optional.empty(), Optional.empty(), LaunchMode.DEVELOPMENT)).hasSize(32);
    }

    @Test
    void readsTheEncryptionKeyInlineOrFromAFileAndRefusesAWrongLength(@TempDir Path dir) throws Exception {
        byte[] key = new byte[32];
        key[0] = 5;
        String base64 = Base64.getEncoder().encodeToString(key);
        assertThat(EncryptionKey.load(Optional.of(base64), Optional.empty(), LaunchMode.NORMAL)).isEqualTo(key);
        Path file = Files.writeString(dir.resolve("encryption-key"), base64 + "\n");
        assertThat(EncryptionKey.load(Optional.empty(), Optional.of(file.toString()), LaunchMode.NORMAL)).isEqualTo(key);
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> EncryptionKey.load(Optional.of(tooShort), Optional.empty(), LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly 32 bytes");
        assertThatThrownBy(() -> EncryptionKey.load(Optional.empty(), Optional.of(dir.resolve("none").toString()),
                LaunchMode.NORMAL)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read");
    }
}
