package io.depproxy.controlplane.access;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The RSA key pair signing registry tokens: a PKCS#8 PEM file from {@code DP_JWT_PRIVATE_KEY_FILE}; generated only in
 * dev and test mode.
 */
@Singleton
@Startup
public class RegistryKeys {
    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    @Inject
    public RegistryKeys(ControlPlaneConfig config) {
        this(load(config.jwt().privateKeyFile(), LaunchMode.current()));
    }

    /**
     * The key of {@code DP_JWT_PRIVATE_KEY_FILE}; in dev and test mode a generated one when it is unset. Outside
     * those modes an unset file refuses the start: replicas with generated keys reject each other's tokens.
     */
    static KeyPair load(Optional<String> privateKeyFile, LaunchMode mode) {
        Optional<Path> file = privateKeyFile.filter(f -> !f.isBlank()).map(Path::of);
        if (file.isPresent()) {
            return read(file.get());
        }
        if (mode.isDevOrTest()) {
            return generate();
        }
        throw new IllegalStateException("DP_JWT_PRIVATE_KEY_FILE must be set outside dev mode: a PKCS#8 PEM RSA key "
                + "(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private-key.pem), the same "
                + "file for every control-plane replica, so that each accepts the registry tokens the others sign");
    }

    RegistryKeys(KeyPair pair) {
        this.privateKey = (RSAPrivateKey) pair.getPrivate();
        this.publicKey = (RSAPublicKey) pair.getPublic();
        byte[] thumb = Digests.newSha256().digest(publicKey.getEncoded());
        this.keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(thumb, 12));
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    /** The public key as a JWK (for {@code /-/jwks}). */
    public Map<String, String> jwk() {
        return Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", keyId,
                "n", base64Url(publicKey.getModulus()), "e", base64Url(publicKey.getPublicExponent()));
    }

    static KeyPair read(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException("DP_JWT_PRIVATE_KEY_FILE " + file
                        + " must hold a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
            }
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new KeyPair(pub, key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read DP_JWT_PRIVATE_KEY_FILE " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalStateException("DP_JWT_PRIVATE_KEY_FILE " + file + " is not an RSA PKCS#8 key", e);
        }
    }

    static KeyPair generate() {
        Log.warn("DP_JWT_PRIVATE_KEY_FILE is not set: signing registry tokens with a generated key (dev/test mode "
                + "only); tokens do not survive a restart and replicas do not accept each other's tokens");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
