package io.depproxy.controlplane.web;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.AdminPageBrowser;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pull policy section of a group's settings page: rules as lines and keys as PEM saved through the API's checks,
 * a refused form kept as typed with the message beside its field, the dry run, removing the group's own policy, and an
 * ancestor's policy that a subgroup's owner may not replace (the reason beside the form).
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class PolicyPageTest {

    private static String settingsPage(long groupId) {
        return "/admin/groups/" + groupId + "/settings";
    }

    private static String text(String html, String id) {
        Matcher matcher = Pattern.compile("\\sid=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(matcher.find()).as("an element with id " + id).isTrue();
        return matcher.group(1);
    }

    private static String pemOfNewKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void rulesAsLinesAndKeysAsPemAreSavedShownAndTriedOut() throws Exception {
        String path = unique("page-policy");
        long groupId = createGroup(path, null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String key = pemOfNewKey();

        browser.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy",
                "rules", "# official images only\nallow library/*\n\ndeny *:latest\ndeny org/* from ghcr.io\n",
                "signature_mode", "enforce", "signature_keys", key)
                .then().statusCode(303);
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then().statusCode(200)
                .body("rules", hasSize(3)).body("rules[1].image", equalTo("*")).body("rules[1].tag", equalTo("latest"))
                .body("rules[2].upstream", equalTo("ghcr.io")).body("signatures.mode", equalTo("enforce"))
                .body("signatures.keys", hasSize(1));

        String html = browser.get(settingsPage(groupId) + "?notice=policy_saved").then().statusCode(200)
                .extract().asString();
        assertThat(text(html, "policy-rules"))
                .isEqualTo("allow library/*\ndeny *:latest\ndeny org/* from ghcr.io\n");
        assertThat(html).contains("The pull policy was saved.", "This group's own policy", "ecdsa-p256 sha256:")
                .contains("<option value=\"enforce\" selected>");

        String checked = browser.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy/check",
                "check_image", "bitnami/redis").then().statusCode(200).extract().asString();
        assertThat(checked).contains("<strong>deny</strong>: bitnami/redis:latest from ")
                .contains(", rule 2; signatures enforce.")
                .contains("is denied by rule 2 (deny image &quot;*&quot; tag &quot;latest&quot;) of the policy of"
                        + " group " + path);

        // removing it is a form like any other: without the page's CSRF token it is refused and nothing changes
        browser.postForged("/admin/groups/" + groupId + "/policy/remove").then().statusCode(403);
        browser.postForged("/admin/groups/" + groupId + "/policy/remove", "csrf_token", "forged").then().statusCode(403);
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then().body("rules", hasSize(3));
        browser.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy/remove").then().statusCode(303);
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then()
                .body("rules", hasSize(0)).body("inherited_from", nullValue());
    }

    @Test
    void aRefusedPolicyKeepsWhatWasTypedAndSaysWhichLineOrKeyBesideItsField() {
        long groupId = createGroup(unique("page-bad"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String action = "/admin/groups/" + groupId + "/policy";

        String html = browser.post(settingsPage(groupId), action, "rules", "allow library/*\n\nallow Lib/*",
                "signature_mode", "off", "signature_keys", "").then().statusCode(400).extract().asString();
        assertThat(text(html, "policy-rules")).isEqualTo("allow library/*\n\nallow Lib/*");
        assertThat(text(html, "rules-error")).startsWith("Rules line 3: image &quot;Lib/*&quot; is not a pattern");

        html = browser.post(settingsPage(groupId), action, "rules", "permit everything please",
                "signature_mode", "off", "signature_keys", "").then().statusCode(400).extract().asString();
        assertThat(text(html, "rules-error")).startsWith("Rules line 1: write &lt;allow|deny&gt;");

        html = browser.post(settingsPage(groupId), action, "rules", "", "signature_mode", "enforce",
                "signature_keys", "").then().statusCode(400).extract().asString();
        assertThat(text(html, "signature_keys-error"))
                .isEqualTo("Signing keys must hold at least one key to check signatures.");
        assertThat(html).contains("<option value=\"enforce\" selected>");

        html = browser.post(settingsPage(groupId), action, "rules", "", "signature_mode", "warn",
                "signature_keys", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .then().statusCode(400).extract().asString();
        assertThat(text(html, "signature_keys-error")).startsWith("Signing keys key 1: ");

        html = browser.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy/check",
                "check_image", "Not A Reference").then().statusCode(400).extract().asString();
        assertThat(text(html, "check_image-error")).startsWith("Image is not an image reference");
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then().body("rules", hasSize(0));
    }

    @Test
    void aGuestSeesThePolicyButOnlyAnOwnerChangesIt() {
        long groupId = createGroup(unique("page-guest"), null);
        asAdmin().contentType("application/json").body("{\"rules\":[{\"action\":\"deny\",\"image\":\"evil/*\"}]}")
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then().statusCode(200);
        AdminPageBrowser guest = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.GUEST));
        String html = guest.get(settingsPage(groupId)).then().statusCode(200).extract().asString();
        assertThat(text(html, "policy-rules")).isEqualTo("deny evil/*\n");
        guest.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy", "rules", "",
                "signature_mode", "off", "signature_keys", "").then().statusCode(403);
        guest.post(settingsPage(groupId), "/admin/groups/" + groupId + "/policy/check", "check_image", "evil/x")
                .then().statusCode(200);
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/policy").then().body("rules", hasSize(1));
    }

    @Test
    void aSubgroupOwnerUnderAnAncestorsPolicyIsToldBesideTheFormWhoseItIs() {
        String acme = unique("page-acme");
        long acmeId = createGroup(acme, null);
        String teamName = unique("team");
        long teamId = createGroup(teamName, acmeId);
        asAdmin().contentType("application/json").body("{\"rules\":[{\"action\":\"deny\",\"image\":\"evil/*\"}]}")
                .put("/api/v4/groups/" + acmeId + "/dependency_proxy/policy").then().statusCode(200);
        AdminPageBrowser owner = AdminPageBrowser.signIn(memberWithToken(teamId, GroupMember.OWNER));
        String reason = "The policy of " + acme + " applies here; only an owner of " + acme + " may replace it for "
                + acme + "/" + teamName + ".";

        String html = owner.post(settingsPage(teamId), "/admin/groups/" + teamId + "/policy", "rules", "allow *",
                "signature_mode", "off", "signature_keys", "").then().statusCode(403).extract().asString();
        assertThat(text(html, "policy-error")).isEqualTo(reason);
        assertThat(text(html, "policy-rules")).isEqualTo("allow *");
        assertThat(html.indexOf("id=\"policy-error\"")).isGreaterThan(html.indexOf("id=\"policy-form\""))
                .isLessThan(html.indexOf("id=\"policy-rules\""));

        asAdmin().contentType("application/json").body("{\"rules\":[{\"action\":\"deny\",\"image\":\"bad/*\"}]}")
                .put("/api/v4/groups/" + teamId + "/dependency_proxy/policy").then().statusCode(200);
        html = owner.post(settingsPage(teamId), "/admin/groups/" + teamId + "/policy/remove")
                .then().statusCode(403).extract().asString();
        assertThat(text(html, "policy-error")).isEqualTo(reason);
        assertThat(text(html, "policy-rules")).isEqualTo("deny bad/*\n");
        asAdmin().get("/api/v4/groups/" + teamId + "/dependency_proxy/policy").then()
                .body("rules", hasSize(1)).body("rules[0].image", equalTo("bad/*"));
    }
}
