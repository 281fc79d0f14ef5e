package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.registryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.controlplane.access.RegistryKeys;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.AdminApi.IssuedToken;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Each registry token here is wrong in exactly one way; every one of them is 401 with the challenge. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RegistryTokenRejectionTest {
    @Inject
    RegistryKeys keys;
    @Inject
    EntityManager em;

    /** A user with a {@code read_registry} token: its id and raw value. */
    private static IssuedToken patOf(String... scopes) {
        return AdminApi.userToken(unique("tok"), scopes);
    }

    /** Claims exactly as the control plane issues them, for the personal access token {@code tokenId}. */
    private static JwtClaimsBuilder claims(long tokenId) {
        long now = Instant.now().getEpochSecond();
        return Jwt.claims().issuer("dependency-proxy").audience("dependency_proxy").subject("someone")
                .issuedAt(now).expiresAt(now + 900).claim("tid", tokenId).claim("tkd", "pat");
    }

    private String sign(JwtClaimsBuilder claims, String keyId) {
        return claims.jws().keyId(keyId).algorithm(SignatureAlgorithm.RS256).sign(keys.privateKey());
    }

    private static void rejected(String token) {
        given().header("Authorization", "Bearer " + token).get("/v2/")
                .then().statusCode(401)
                .header("WWW-Authenticate", RegistryAuthTest.CHALLENGE)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    private static JsonNode segment(String token, int index) throws Exception {
        return ContractJson.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    @Test
    void issuesRs256TokensForFifteenMinutesWithAPublishedKeyIdNamingOnlyTheTokenId() throws Exception {
        IssuedToken pat = patOf(TokenScopes.READ_REGISTRY);
        String token = registryToken(pat.username(), pat.token());
        JsonNode header = segment(token, 0);
        JsonNode claims = segment(token, 1);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        String kid = given().get("/-/jwks").then().statusCode(200).extract().path("keys[0].kid");
        assertThat(header.path("kid").asText()).isEqualTo(kid).isEqualTo(keys.keyId());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(900);
        assertThat(claims.path("tid").asLong()).isEqualTo(pat.id());
        assertThat(claims.path("tkd").asText()).isEqualTo("pat");
        assertThat(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
                .doesNotContain(pat.token());
        given().header("Authorization", "Bearer " + sign(claims(pat.id()), keys.keyId())).get("/v2/")
                .then().statusCode(200);
    }

    @Test
    void anExpiredRegistryTokenIs401() {
        long now = Instant.now().getEpochSecond();
        rejected(sign(claims(patOf(TokenScopes.READ_REGISTRY).id()).issuedAt(now - 1000).expiresAt(now - 100),
                keys.keyId()));
    }

    @Test
    void aTamperedRegistryTokenIs401() {
        IssuedToken pat = patOf(TokenScopes.READ_REGISTRY);
        String[] parts = registryToken(pat.username(), pat.token()).split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"dependency-proxy\",\"aud\":\"dependency_proxy\",\"exp\":" + (Instant.now().getEpochSecond()
                        + 600) + ",\"tid\":1,\"tkd\":\"pat\"}").getBytes(StandardCharsets.UTF_8));
        rejected(parts[0] + "." + forgedClaims + "." + parts[2]);
    }

    @Test
    void anUnsignedAlgNoneTokenIs401() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}").getBytes(StandardCharsets.UTF_8));
        String valid = sign(claims(patOf(TokenScopes.READ_REGISTRY).id()), keys.keyId());
        rejected(header + "." + valid.split("\\.")[1] + ".");
    }

    @Test
    void anUnknownKeyIdOrAForeignKeyIs401() throws Exception {
        long tokenId = patOf(TokenScopes.READ_REGISTRY).id();
        rejected(sign(claims(tokenId), "some-other-key"));
        var foreignKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        rejected(claims(tokenId).jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256).sign(foreignKey));
        rejected("not.a.jwt");
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        rejected(sign(claims(patOf(TokenScopes.READ_REGISTRY).id()).audience("container_registry"), keys.keyId()));
    }

    @Test
    void revokingTheAccessTokenInvalidatesItsRegistryTokensAtOnce() {
        IssuedToken pat = patOf(TokenScopes.READ_REGISTRY);
        String token = registryToken(pat.username(), pat.token());
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
        asAdmin().delete("/api/v4/personal_access_tokens/" + pat.id()).then().statusCode(204);
        rejected(token);
        given().auth().preemptive().basic(pat.username(), pat.token()).get("/jwt/auth").then().statusCode(401);
    }

    @Test
    void anExpiredAccessTokenInvalidatesItsRegistryTokens() {
        IssuedToken pat = patOf(TokenScopes.READ_REGISTRY);
        String token = registryToken(pat.username(), pat.token());
        TestSql.update(em, "UPDATE personal_access_tokens SET expires_at = now() - interval '1 minute' WHERE id = ?1",
                pat.id());
        rejected(token);
        given().auth().preemptive().basic(pat.username(), pat.token()).get("/jwt/auth").then().statusCode(401);
    }

    @Test
    void revokingOrExpiringADeployTokenInvalidatesItsRegistryTokensAtOnce() {
        long groupId = createGroup(unique("dt"), null);
        IssuedToken revoked = AdminApi.deployToken(groupId, TokenScopes.READ_REGISTRY);
        String token = registryToken(revoked.username(), revoked.token());
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
        asAdmin().delete("/api/v4/groups/" + groupId + "/deploy_tokens/" + revoked.id())
                .then().statusCode(204);
        rejected(token);

        IssuedToken expiring = AdminApi.deployToken(groupId, TokenScopes.READ_REGISTRY);
        String second = registryToken(expiring.username(), expiring.token());
        TestSql.update(em, "UPDATE group_deploy_tokens SET expires_at = now() - interval '1 minute' WHERE id = ?1",
                expiring.id());
        rejected(second);
    }

    @Test
    void aTokenWithoutARegistryScopeGetsNoRegistryTokenAndAForgedOneIs401() {
        IssuedToken adminOnly = patOf(TokenScopes.ADMIN);
        given().auth().preemptive().basic(adminOnly.username(), adminOnly.token()).get("/jwt/auth")
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"));
        rejected(sign(claims(adminOnly.id()), keys.keyId()));
    }

    @Test
    void aBlockedUsersRegistryTokenIs401() {
        IssuedToken pat = patOf(TokenScopes.READ_REGISTRY);
        String token = registryToken(pat.username(), pat.token());
        TestSql.update(em, "UPDATE users SET state = 'blocked' WHERE username = ?1", pat.username());
        rejected(token);
    }
}
