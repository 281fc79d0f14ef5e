package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {

    @TempDir
    Path dir;

    @Test
    void internalSecretIs32RandomBytesInBase64AndKept() throws Exception {
        Path file = new LocalSecrets(dir).internalSecretFile();
        assertThat(file).isEqualTo(dir.resolve("internal-secret"));
        String secret = Files.readString(file);
        assertThat(Base64.getDecoder().decode(secret)).hasSize(32);
        assertThat(Files.readString(new LocalSecrets(dir).internalSecretFile())).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void encryptionKeyIs32RandomBytesInBase64KeptAndNotTheInternalSecret() throws Exception {
        LocalSecrets secrets = new LocalSecrets(dir);
        Path file = secrets.encryptionKeyFile();
        assertThat(file).isEqualTo(dir.resolve("encryption-key"));
        String key = Files.readString(file);
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(Files.readString(new LocalSecrets(dir).encryptionKeyFile())).isEqualTo(key);
        assertThat(key).isNotEqualTo(Files.readString(secrets.internalSecretFile()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void adminTokenHasTheDpatFormatAndIsKept() {
        String token = new LocalSecrets(dir).adminToken();
        assertThat(token).matches("dpat-[A-Za-z0-9_-]{32}");
        assertThat(new LocalSecrets(dir).adminToken()).isEqualTo(token);
        assertThat(LocalSecrets.newAdminToken()).isNotEqualTo(token);
    }

    @Test
    void jwtKeyIsAnRsa2048Pkcs8PemAndIsKept() throws Exception {
        Path file = new LocalSecrets(dir).jwtPrivateKeyFile();
        String pem = Files.readString(file);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        assertThat(dir.resolve("jwt-public-key.pem")).content().startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Files.readString(new LocalSecrets(dir).jwtPrivateKeyFile())).isEqualTo(pem);
    }

    @Test
    void s3CredentialsArePersisted() {
        LocalSecrets.S3Credentials first = new LocalSecrets(dir).s3Credentials();
        assertThat(first.accessKey()).hasSize(20);
        assertThat(first.secretKey()).hasSize(40);
        assertThat(dir.resolve("credentials.properties")).content().contains("s3.access-key=" + first.accessKey());
        assertThat(new LocalSecrets(dir).s3Credentials()).isEqualTo(first);
    }
}
