package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.AdminApi.userWithToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pull policy in the admin API: who reads and writes it, inheritance by subgroups, every malformed input a 4xx in
 * the API's format, and the dry run.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class PolicyApiTest {
    static final String LIBRARY_AND_NO_LATEST = """
            {"rules": [{"action": "allow", "image": "library/*"},
                       {"action": "deny", "image": "*", "tag": "latest"}]}""";

    static String policyUrl(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/policy";
    }

    static void putPolicy(long groupId, String body) {
        asAdmin().contentType("application/json").body(body).put(policyUrl(groupId)).then().statusCode(200);
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static PublicKey newKey(String algorithm, Object parameter) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (parameter instanceof Integer bits) {
            generator.initialize(bits);
        } else if (parameter instanceof String curve) {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        return generator.generateKeyPair().getPublic();
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGroupWithoutAPolicyHasNoRulesAndNoSignatureCheck() {
        long groupId = createGroup(unique("nopolicy"), null);
        asAdmin().get(policyUrl(groupId)).then().statusCode(200)
                .body("rules", hasSize(0)).body("signatures.mode", equalTo("off"))
                .body("signatures.keys", hasSize(0)).body("inherited_from", nullValue());
    }

    @Test
    void ownersReplaceThePolicyGuestsReadItOthersGetWhatOtherGroupRoutesGive() throws Exception {
        long groupId = createGroup(unique("acme"), null);
        String key = pem(newKey("EC", "secp256r1"));
        String body = json(Map.of("rules", List.of(Map.of("action", "allow", "image", "library/*"),
                        Map.of("action", "deny", "upstream", "ghcr.io", "image", "*", "tag", "latest")),
                "signatures", Map.of("mode", "enforce", "keys", List.of(key))));
        String owner = memberWithToken(groupId, GroupMember.OWNER);
        as(owner).contentType("application/json").body(body).put(policyUrl(groupId)).then().statusCode(200)
                .body("rules[0].action", equalTo("allow")).body("rules[0].upstream", equalTo("*"))
                .body("rules[0].image", equalTo("library/*")).body("rules[0].tag", nullValue())
                .body("rules[1].upstream", equalTo("ghcr.io")).body("rules[1].tag", equalTo("latest"))
                .body("signatures.mode", equalTo("enforce"))
                .body("signatures.keys[0].algorithm", equalTo("ecdsa-p256"))
                .body("signatures.keys[0].fingerprint", startsWith("sha256:"))
                .body("signatures.keys[0].pem", startsWith("-----BEGIN PUBLIC KEY-----"))
                .body("inherited_from", nullValue());

        String guest = memberWithToken(groupId, GroupMember.GUEST);
        as(guest).get(policyUrl(groupId)).then().statusCode(200).body("rules", hasSize(2));
        String developer = memberWithToken(groupId, GroupMember.MAINTAINER);
        as(developer).contentType("application/json").body("{\"rules\":[]}").put(policyUrl(groupId))
                .then().statusCode(403);
        as(developer).delete(policyUrl(groupId)).then().statusCode(403);
        String stranger = userWithToken(unique("stranger"), "api");
        // as the group's other routes: a group the caller cannot see is not found, whatever the body
        as(stranger).get(policyUrl(groupId)).then().statusCode(404)
                .body("message", equalTo(as(stranger).get("/api/v4/groups/" + groupId + "/dependency_proxy/settings")
                        .then().statusCode(404).extract().path("message")));
        as(stranger).contentType("application/json").body("not json").put(policyUrl(groupId)).then().statusCode(404);
        as(stranger).contentType("application/json").body("{\"image\":\"nginx\"}")
                .post(policyUrl(groupId) + "/check").then().statusCode(404);
        asAdmin().get(policyUrl(groupId)).then().statusCode(200).body("rules", hasSize(2));
    }

    @Test
    void subgroupsInheritTheNearestAncestorsPolicyUntilTheyHaveTheirOwn() {
        String parentPath = unique("parent");
        long parent = createGroup(parentPath, null);
        long child = createGroup(unique("child"), parent);
        long grandchild = createGroup(unique("grandchild"), child);
        putPolicy(parent, LIBRARY_AND_NO_LATEST);
        asAdmin().get(policyUrl(grandchild)).then().statusCode(200)
                .body("rules", hasSize(2)).body("inherited_from", equalTo(parentPath));
        asAdmin().get(policyUrl(parent)).then().statusCode(200).body("inherited_from", nullValue());

        // an empty own policy is a policy: the child allows everything, its own child inherits that
        putPolicy(child, "{\"rules\": []}");
        asAdmin().get(policyUrl(grandchild)).then().statusCode(200).body("rules", hasSize(0))
                .body("inherited_from", startsWith(parentPath + "/"));
        // removing it inherits again
        asAdmin().delete(policyUrl(child)).then().statusCode(200)
                .body("rules", hasSize(2)).body("inherited_from", equalTo(parentPath));
        asAdmin().get(policyUrl(grandchild)).then().statusCode(200).body("inherited_from", equalTo(parentPath));
    }

    @Test
    void everyMalformedOrOutOfBoundsPolicyIsRefusedAndNothingChanges() throws Exception {
        long groupId = createGroup(unique("bad"), null);
        putPolicy(groupId, LIBRARY_AND_NO_LATEST);
        String rsa1024 = pem(newKey("RSA", 1024));
        String p384 = pem(newKey("EC", "secp384r1"));
        record Bad(String body, int status, String message) {
        }
        List<Map<String, String>> manyRules = new ArrayList<>();
        for (int i = 0; i <= 200; i++) {
            manyRules.add(Map.of("action", "deny", "image", "x" + i));
        }
        List<Bad> cases = List.of(
                new Bad("", 400, "400 Bad request - the body must be a JSON object"),
                new Bad("{\"rules\": [", 400, "400 Bad request - the body is not valid JSON"),
                new Bad("[]", 400, "400 Bad request - the body does not have the expected shape at the top level"),
                new Bad("{\"rules\": \"allow all\"}", 400,
                        "400 Bad request - the body does not have the expected shape at rules"),
                new Bad("{\"rules\": [{\"action\": \"permit\", \"image\": \"*\"}]}", 400,
                        "400 Bad request - rules[0]: action must be allow or deny, not \"permit\""),
                new Bad("{\"rules\": [{\"action\": \"allow\"}]}", 400,
                        "400 Bad request - rules[0]: image is missing"),
                new Bad("{\"rules\": [null]}", 400, "400 Bad request - rules[0] must be an object"),
                new Bad("{\"rules\": [{\"action\": \"deny\", \"image\": \"*\"}, {\"action\": \"allow\","
                        + " \"image\": \"lib[ab]/*\"}]}", 400, "400 Bad request - rules[1]: image \"lib[ab]/*\""),
                new Bad("{\"rules\": [{\"action\": \"deny\", \"image\": \"*\", \"tag\": \"a b\"}]}", 400,
                        "400 Bad request - rules[0]: tag \"a b\" is not a pattern"),
                new Bad("{\"signatures\": {\"mode\": \"strict\"}}", 400,
                        "400 Bad request - signatures.mode must be off, warn or enforce"),
                new Bad("{\"signatures\": {\"mode\": \"enforce\"}}", 400,
                        "400 Bad request - signatures: signatures in mode enforce need at least one key"),
                new Bad("{\"signatures\": {\"mode\": \"warn\", \"keys\": []}}", 400,
                        "400 Bad request - signatures: signatures in mode warn need at least one key"),
                new Bad(json(Map.of("signatures", Map.of("mode", "enforce", "keys", List.of("not a key")))), 400,
                        "400 Bad request - signatures.keys[0]: a key must be one PEM block"),
                new Bad(json(Map.of("signatures", Map.of("mode", "enforce", "keys", List.of(rsa1024)))), 400,
                        "400 Bad request - signatures.keys[0]: an RSA key must have at least 2048 bits"),
                new Bad(json(Map.of("signatures", Map.of("mode", "enforce", "keys", List.of(p384)))), 400,
                        "400 Bad request - signatures.keys[0]: an ECDSA key must be on the P-256 curve"),
                new Bad(json(Map.of("rules", manyRules)), 422, "422 Unprocessable Entity - rules size must be"),
                new Bad(json(Map.of("rules", List.of(Map.of("action", "deny", "image", "a".repeat(256))))), 422,
                        "422 Unprocessable Entity - rules[0].image size must be"),
                new Bad(json(Map.of("signatures", Map.of("mode", "off", "keys", List.of("k".repeat(8193))))), 422,
                        "422 Unprocessable Entity - signatures.keys[0]."));
        for (Bad bad : cases) {
            String message = asAdmin().contentType("application/json").body(bad.body()).put(policyUrl(groupId))
                    .then().statusCode(bad.status()).extract().path("message");
            assertThat(message).as(bad.body().length() > 200 ? bad.body().substring(0, 200) : bad.body())
                    .startsWith(bad.message()).doesNotContain("io.depproxy").doesNotContain("java.");
        }
        asAdmin().get(policyUrl(groupId)).then().statusCode(200).body("rules", hasSize(2))
                .body("rules[1].tag", equalTo("latest"));
    }

    @Test
    void theDryRunSaysWhatAReferenceWouldGetAndWhichRuleDecided() {
        String path = unique("dry");
        long groupId = createGroup(path, null);
        putPolicy(groupId, LIBRARY_AND_NO_LATEST);
        String defaultUpstream = defaultUpstreamName();

        JsonPath latest = check(groupId, "nginx:latest").then().statusCode(200).extract().jsonPath();
        assertThat(latest.getString("decision")).isEqualTo("allow");
        assertThat(latest.getInt("rule.index")).isEqualTo(1);
        assertThat(latest.getString("image")).isEqualTo("library/nginx");
        assertThat(latest.getString("tag")).isEqualTo("latest");
        assertThat(latest.getString("upstream")).isEqualTo(defaultUpstream);
        assertThat(latest.getString("signature_mode")).isEqualTo("off");

        JsonPath tool = check(groupId, "docker.io/bitnami/redis").then().statusCode(200).extract().jsonPath();
        assertThat(tool.getString("decision")).isEqualTo("deny");
        assertThat(tool.getInt("rule.index")).isEqualTo(2);
        assertThat(tool.getString("rule.tag")).isEqualTo("latest");
        assertThat(tool.getString("image")).isEqualTo("bitnami/redis");
        assertThat(tool.getString("message")).isEqualTo("pull of bitnami/redis:latest from " + defaultUpstream
                + " is denied by rule 2 (deny image \"*\" tag \"latest\") of the policy of group " + path);

        String digest = "sha256:" + "a".repeat(64);
        JsonPath byDigest = check(groupId, "bitnami/redis@" + digest).then().statusCode(200).extract().jsonPath();
        assertThat(byDigest.getString("decision")).isEqualTo("deny");
        assertThat(byDigest.getMap("rule")).isNull();
        assertThat(byDigest.getString("tag")).isNull();
        assertThat(byDigest.getString("reason")).contains("an allow list denies what it does not name");

        for (String bad : List.of("", "Nginx:latest", "nginx:", "nginx@sha256:abc", "a//b:1", "nginx:-x")) {
            check(groupId, bad).then().statusCode(400).body("message", startsWith("400 Bad request - image"));
        }
        asAdmin().contentType("application/json").body("{\"image\": {}}").post(policyUrl(groupId) + "/check")
                .then().statusCode(400);
        asAdmin().contentType("application/json").body("{").post(policyUrl(groupId) + "/check")
                .then().statusCode(400).body("message", startsWith("400 Bad request - the body is not valid JSON"));
    }

    @Test
    void theDryRunOfAGroupWithoutRulesAllowsAndShowsTheSignatureMode() throws Exception {
        long groupId = createGroup(unique("open"), null);
        putPolicy(groupId, json(Map.of("signatures", Map.of("mode", "warn",
                "keys", List.of(pem(newKey("Ed25519", null)))))));
        check(groupId, "nginx").then().statusCode(200).body("decision", equalTo("allow"))
                .body("rule", nullValue()).body("signature_mode", equalTo("warn"))
                .body("reason", equalTo("no rule matches and the policy has no allow rule"));
        asAdmin().get(policyUrl(groupId)).then().statusCode(200)
                .body("signatures.keys[0].algorithm", equalTo("ed25519"));
    }

    static io.restassured.response.Response check(long groupId, String image) {
        return asAdmin().contentType("application/json").body(json(Map.of("image", image)))
                .post(policyUrl(groupId) + "/check");
    }

    static String defaultUpstreamName() {
        String body = asAdmin().get("/api/v4/dependency_proxy/upstreams?per_page=100").then().statusCode(200)
                .extract().asString();
        return JsonPath.from(body).<Map<String, Object>>getList("").stream()
                .filter(u -> Boolean.TRUE.equals(u.get("default"))).findFirst().orElseThrow().get("name").toString();
    }
}
