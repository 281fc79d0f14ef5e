package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.depproxy.contracts.Golden;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestSql;
import io.depproxy.controlplane.upstream.LegacySealing;
import io.depproxy.controlplane.upstream.UpstreamCredentialCipher;
import io.depproxy.controlplane.upstream.UpstreamSecretReseal;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class DependencyProxySettingsApiTest {
    @Inject
    EntityManager em;
    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    UpstreamSecretReseal reseal;

    private static String settingsUrl(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/settings";
    }

    /** Pulls a new image by tag (HEAD upstream, then a fetch): the upstream token is requested afresh. */
    private SendDependency pullNewImage(String group) {
        String image = unique("creds");
        upstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, "{\"c\":1}".getBytes());
        return (SendDependency) injection(asRoot().get(path(group, image, "manifests", "1")).then().statusCode(200)
                .extract().response());
    }

    @Test
    void aNewGroupHasTheProxyEnabledAndNoUpstreamCredentials() {
        long groupId = createGroup(unique("defaults"), null);
        asAdmin().get(settingsUrl(groupId)).then().statusCode(200)
                .body("enabled", equalTo(true)).body("manifest_revalidate_after", equalTo(0))
                .body("secret_set", equalTo(false));
        asAdmin().contentType("application/json").body(Map.of("enabled", false, "manifest_revalidate_after", 600))
                .put(settingsUrl(groupId)).then().statusCode(200)
                .body("enabled", equalTo(false)).body("manifest_revalidate_after", equalTo(600));
        asAdmin().formParam("enabled", "true").put(settingsUrl(groupId)).then().statusCode(200)
                .body("enabled", equalTo(true)).body("manifest_revalidate_after", equalTo(600));
    }

    @Test
    void aGroupsUpstreamCredentialsAreWriteOnlyEncryptedAndUsedForItsTokenRequests() {
        String group = unique("hub");
        long groupId = createGroup(group, null);
        String identity = unique("hub-user");
        upstream.allowCredentials(identity, "hub-secret-value");
        asAdmin().contentType("application/json").body(Map.of("identity", identity, "secret", "hub-secret-value"))
                .put(settingsUrl(groupId)).then().statusCode(200)
                .body("identity", equalTo(identity)).body("secret_set", equalTo(true))
                .body("$", not(hasKey("secret")));
        asAdmin().get(settingsUrl(groupId)).then().body("secret_set", equalTo(true)).body("$", not(hasKey("secret")));
        List<String> stored = TestSql.list(em,
                "SELECT encrypted_secret FROM dependency_proxy_group_settings WHERE group_id = ?1", groupId);
        assertThat(stored.get(0)).startsWith("v2:").doesNotContain("hub-secret-value");

        SendDependency fetch = pullNewImage(group);
        assertThat(fetch.headers().first("Authorization")).startsWith("Bearer tok-");
        List<String> users = upstream.tokenRequestUsernames();
        assertThat(users.get(users.size() - 1)).isEqualTo(identity);

        asAdmin().contentType("application/json").body(Map.of("identity", "", "secret", ""))
                .put(settingsUrl(groupId)).then().statusCode(200).body("secret_set", equalTo(false));
        pullNewImage(group);
        users = upstream.tokenRequestUsernames();
        assertThat(users.get(users.size() - 1)).isEqualTo(FakeRegistry.USERNAME);
    }

    @Test
    void aSecretStoredBeforeTheEncryptionKeyStillWorksAndIsReEncryptedOnWriteAndAtStartUp() {
        byte[] internalSecret = Base64.getDecoder().decode(Golden.read("internal-secret.txt"));
        String group = unique("upgraded");
        long groupId = createGroup(group, null);
        String identity = unique("hub-user");
        upstream.allowCredentials(identity, "old-secret");
        String legacy = LegacySealing.sealedUnderTheInternalSecret(groupId, "old-secret", internalSecret);
        TestSql.update(em, "UPDATE dependency_proxy_group_settings SET identity = ?2, encrypted_secret = ?3"
                + " WHERE group_id = ?1", groupId, identity, legacy);

        pullNewImage(group);
        List<String> users = upstream.tokenRequestUsernames();
        assertThat(users.get(users.size() - 1)).isEqualTo(identity);

        asAdmin().contentType("application/json").body(Map.of("manifest_revalidate_after", 5))
                .put(settingsUrl(groupId)).then().statusCode(200).body("secret_set", equalTo(true));
        assertThat(storedSecret(groupId)).startsWith("v2:");
        assertThat(cipher.decrypt(groupId, storedSecret(groupId))).isEqualTo("old-secret");

        TestSql.update(em, "UPDATE dependency_proxy_group_settings SET encrypted_secret = ?2 WHERE group_id = ?1",
                groupId, legacy);
        assertThat(reseal.resealAll()).isGreaterThanOrEqualTo(1);
        assertThat(storedSecret(groupId)).startsWith("v2:");
        assertThat(cipher.decrypt(groupId, storedSecret(groupId))).isEqualTo("old-secret");
    }

    private String storedSecret(long groupId) {
        List<String> stored = TestSql.list(em,
                "SELECT encrypted_secret FROM dependency_proxy_group_settings WHERE group_id = ?1", groupId);
        return stored.get(0);
    }

    @Test
    void wrongGroupCredentialsAreRefusedUpstreamRatherThanFallingBack() {
        String group = unique("wrong");
        long groupId = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("identity", unique("nobody"), "secret", "wrong"))
                .put(settingsUrl(groupId)).then().statusCode(200);
        String image = unique("denied");
        upstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, "{\"d\":1}".getBytes());
        asRoot().get(path(group, image, "manifests", "1")).then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void validatesSettings() {
        long groupId = createGroup(unique("checks"), null);
        asAdmin().contentType("application/json").body(Map.of("identity", "only-identity"))
                .put(settingsUrl(groupId)).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("identity", "", "secret", "x"))
                .put(settingsUrl(groupId)).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("manifest_revalidate_after", -1))
                .put(settingsUrl(groupId)).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("manifest_revalidate_after", "soon"))
                .put(settingsUrl(groupId)).then().statusCode(400);
        asAdmin().contentType("application/json").body(Map.of("enabled", "maybe"))
                .put(settingsUrl(groupId)).then().statusCode(400);
        asAdmin().get(settingsUrl(987654321)).then().statusCode(404);
    }

    @Test
    void membersReadSettingsAndOnlyOwnersChangeThem() {
        long groupId = createGroup(unique("owners"), null);
        String maintainer = memberWithToken(groupId, GroupMember.MAINTAINER);
        String owner = memberWithToken(groupId, GroupMember.OWNER);
        as(maintainer).get(settingsUrl(groupId)).then().statusCode(200);
        as(maintainer).contentType("application/json").body(Map.of("enabled", false)).put(settingsUrl(groupId))
                .then().statusCode(403);
        as(owner).contentType("application/json").body(Map.of("enabled", false)).put(settingsUrl(groupId))
                .then().statusCode(200);
        String ttl = "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy";
        as(maintainer).get(ttl).then().statusCode(200);
        as(maintainer).contentType("application/json").body(Map.of("ttl", 5)).put(ttl).then().statusCode(403);
        as(owner).contentType("application/json").body(Map.of("ttl", 5)).put(ttl).then().statusCode(200);
    }

    @Test
    void theTtlPolicyDefaultsToNinetyDaysDisabled() {
        long groupId = createGroup(unique("ttl"), null);
        String url = "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy";
        asAdmin().get(url).then().statusCode(200).body("enabled", equalTo(false)).body("ttl", equalTo(90));
        asAdmin().contentType("application/json").body(Map.of("enabled", true, "ttl", 7)).put(url)
                .then().statusCode(200).body("enabled", equalTo(true)).body("ttl", equalTo(7));
        asAdmin().get(url).then().body("enabled", equalTo(true)).body("ttl", equalTo(7));
        asAdmin().contentType("application/json").body(Map.of("ttl", 0)).put(url).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("ttl", "week")).put(url).then().statusCode(400);
    }
}
