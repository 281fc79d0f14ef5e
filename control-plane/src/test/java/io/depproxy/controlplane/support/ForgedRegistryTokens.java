package io.depproxy.controlplane.support;

import io.depproxy.controlplane.access.RegistryKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Registry tokens for root that are wrong in one way each: unsigned, alg-confused, tampered, expired, foreign. */
public final class ForgedRegistryTokens {
    private final RegistryKeys keys;

    public ForgedRegistryTokens(RegistryKeys keys) {
        this.keys = keys;
    }

    /** Claims exactly as the control plane issues them, for root's bootstrap token. */
    private String claimsJson(long expiresAt) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"dependency-proxy\",\"aud\":\"dependency_proxy\",\"sub\":\"root\",\"iat\":" + now
                + ",\"exp\":" + expiresAt + ",\"tid\":1,\"tkd\":\"pat\"}";
    }

    private static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String algNone() {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}") + "."
                + b64(claimsJson(Instant.now().getEpochSecond() + 600)) + ".";
    }

    /** {@code alg} confusion: HS256 keyed by the RSA public key's bytes (anyone can compute it). */
    public String hs256WithThePublicKey() throws Exception {
        String signed = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}") + "."
                + b64(claimsJson(Instant.now().getEpochSecond() + 600));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys.publicKey().getEncoded(), "HmacSHA256"));
        return signed + "." + b64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A real token's header and signature over other claims. */
    public String tampered(String realToken) {
        String[] parts = realToken.split("\\.");
        return parts[0] + "." + b64(claimsJson(Instant.now().getEpochSecond() + 6000)) + "." + parts[2];
    }

    public String expired() {
        long now = Instant.now().getEpochSecond();
        return Jwt.claims().issuer("dependency-proxy").audience("dependency_proxy").subject("root")
                .issuedAt(now - 1000).expiresAt(now - 100).claim("tid", 1L).claim("tkd", "pat")
                .jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256).sign(keys.privateKey());
    }

    public String signedByAForeignKey() throws Exception {
        long now = Instant.now().getEpochSecond();
        return Jwt.claims().issuer("dependency-proxy").audience("dependency_proxy").subject("root")
                .issuedAt(now).expiresAt(now + 600).claim("tid", 1L).claim("tkd", "pat")
                .jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate());
    }
}
