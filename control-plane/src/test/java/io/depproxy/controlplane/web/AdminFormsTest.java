package io.depproxy.controlplane.web;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.support.AdminPageBrowser;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin page's forms as a person meets them: a refused value comes back as typed with the message beside its
 * field in the label's words, revoking a deploy token asks first, the blob list says what each blob is in words a
 * reader understands, and the chart takes the page's width.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class AdminFormsTest {

    private static String settingsPage(long groupId) {
        return "/admin/groups/" + groupId + "/settings";
    }

    /** The start tag of the element with that id. */
    private static String tag(String html, String id) {
        Matcher matcher = Pattern.compile("<[a-z]+[^>]*\\sid=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(html);
        assertThat(matcher.find()).as("an element with id " + id).isTrue();
        return matcher.group();
    }

    /** The text of the element with that id (no nested elements). */
    private static String text(String html, String id) {
        Matcher matcher = Pattern.compile("\\sid=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(matcher.find()).as("an element with id " + id).isTrue();
        return matcher.group(1);
    }

    @Test
    void aRefusedTtlKeepsWhatWasTypedAndTickedAndSaysWhyBesideTheFieldInTheLabelsWords() {
        long groupId = createGroup(unique("keep-ttl"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());

        String html = browser.post(settingsPage(groupId), "/admin/groups/" + groupId + "/ttl_policy",
                "enabled", "false", "enabled", "true", "ttl", "0").then().statusCode(422).extract().asString();

        assertThat(tag(html, "ttl")).contains("value=\"0\"", "aria-invalid=\"true\"",
                "aria-describedby=\"ttl-hint ttl-error\"");
        assertThat(tag(html, "ttl-enabled")).as("ticked as posted; the stored policy is off").contains(" checked");
        assertThat(text(html, "ttl-error"))
                .isEqualTo("Days without a pull before an object expires must be between 1 and 3650.");
        assertThat(html).contains("<label for=\"ttl\">Days without a pull before an object expires</label>")
                .doesNotContain("id=\"form-error\"").doesNotContain("ttl must be");
        // beside its field: after the input, before the form's button
        int input = html.indexOf(tag(html, "ttl"));
        int message = html.indexOf("id=\"ttl-error\"");
        assertThat(message).isGreaterThan(input).isLessThan(html.indexOf("Save expiry policy"));
        // the other forms of the page show the stored values
        assertThat(tag(html, "revalidate")).doesNotContain("aria-invalid");
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy").then()
                .body("enabled", equalTo(false)).body("ttl", equalTo(90));
    }

    @Test
    void aRefusedSettingKeepsTheUntickedBoxAndTheTypedNumber() {
        long groupId = createGroup(unique("keep-settings"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());

        String html = browser.post(settingsPage(groupId), settingsPage(groupId), "enabled", "false",
                "manifest_revalidate_after", "99999999").then().statusCode(422).extract().asString();

        assertThat(tag(html, "settings-enabled")).as("unticked as posted; the group is enabled")
                .doesNotContain("checked");
        assertThat(tag(html, "revalidate")).contains("value=\"99999999\"", "aria-invalid=\"true\"",
                "aria-describedby=\"revalidate-hint manifest_revalidate_after-error\"");
        assertThat(text(html, "manifest_revalidate_after-error"))
                .isEqualTo("Revalidate tags after (seconds) must be between 0 and 31536000.");
        assertThat(tag(html, "ttl-enabled")).as("the TTL form shows the stored policy").doesNotContain("checked");
        asAdmin().get("/api/v4/groups/" + groupId + "/dependency_proxy/settings").then()
                .body("enabled", equalTo(true));
    }

    @Test
    void refusedDeployTokenAndGroupFormsComeBackAsTyped() {
        String groupPath = unique("keep-token");
        long groupId = createGroup(groupPath, null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String page = "/admin/groups/" + groupId + "/deploy_tokens";

        String html = browser.post(page, page, "name", "ci-typed", "scopes", "read_registry", "expires_at",
                "2001-02-03").then().statusCode(422).extract().asString();
        assertThat(tag(html, "token-name")).contains("value=\"ci-typed\"").doesNotContain("aria-invalid");
        assertThat(tag(html, "token-expires")).contains("value=\"2001-02-03\"", "aria-invalid=\"true\"",
                "aria-describedby=\"expires_at-error\"");
        assertThat(text(html, "expires_at-error")).isEqualTo("Expires on must be in the future.");

        String groups = browser.post("/admin/groups", "/admin/groups", "name", "Typed name", "path", groupPath)
                .then().statusCode(409).extract().asString();
        assertThat(tag(groups, "group-name")).contains("value=\"Typed name\"");
        assertThat(tag(groups, "group-path")).contains("value=\"" + groupPath + "\"", "aria-invalid=\"true\"");
        assertThat(text(groups, "path-error")).isEqualTo("Path has already been taken.");

        String refused = AdminPageBrowser.postSignIn("glpat-not-a-token").then().statusCode(401).extract().asString();
        assertThat(tag(refused, "token")).contains("aria-invalid=\"true\"", "aria-describedby=\"token-error\"")
                .doesNotContain("value=");
        assertThat(text(refused, "token-error")).isEqualTo("This token is unknown, expired or revoked.");
    }

    @Test
    void revokingADeployTokenAsksFirstAndOnlyTheConfirmationRevokes() {
        long groupId = createGroup(unique("revoke"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String page = "/admin/groups/" + groupId + "/deploy_tokens";
        browser.post(page, page, "name", "ci-runner", "scopes", "read_registry").then().statusCode(201);
        long tokenId = asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens").then().extract().jsonPath()
                .getLong("[0].id");
        String revoke = page + "/" + tokenId + "/revoke";

        String question = browser.post(page, revoke).then().statusCode(200).extract().asString();

        assertThat(question).contains("<h1>Revoke the deploy token ci-runner?</h1>", "id=\"revoke-form\"",
                "name=\"confirm\" value=\"true\"", "id=\"cancel-revoke\"");
        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens/" + tokenId).then()
                .body("revoked", equalTo(false));

        browser.post(page, revoke, "confirm", "true").then().statusCode(303)
                .header("Location", page + "?notice=token_revoked");
        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens/" + tokenId).then()
                .body("revoked", equalTo(true));
    }

    @Test
    void blobRowsSayWhatEachBlobIsAndItsStateInWords() {
        String group = unique("kinds");
        long groupId = createGroup(group, null);
        String config = storeBlob(group, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + unique("c") + "\"}");
        String layer = storeBlob(group, "layer bytes " + unique("l"));
        String stray = storeBlob(group, "a blob no manifest names " + unique("s"));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
                + "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layer + "\",\"size\":1}]}").getBytes(StandardCharsets.UTF_8);
        storeThroughAccelerator(path(group, "app", "manifests", "v1"), manifest, Digests.sha256(manifest),
                MediaTypes.OCI_MANIFEST).then().statusCode(200);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());

        String blobs = browser.get("/admin/groups/" + groupId + "/blobs").then().statusCode(200).extract().asString();

        assertThat(row(blobs, config)).contains(">image config<", ">cached<");
        assertThat(row(blobs, layer)).contains(">layer<", ">cached<");
        assertThat(row(blobs, stray)).contains(">blob<", ">cached<");
        assertThat(blobs).doesNotContain(".gz").doesNotContain(">default<")
                .contains("<td class=\"nowrap\">", ".nowrap { white-space: nowrap; }");
        String manifests = browser.get("/admin/groups/" + groupId + "/manifests").then().statusCode(200).extract()
                .asString();
        assertThat(row(manifests, Digests.sha256(manifest))).contains("app:v1", ">image manifest<", ">cached<");
    }

    @Test
    void theChartIsDrawnInItsOwnUnitsAndTakesThePagesWidth() {
        long groupId = createGroup(unique("wide-chart"), null);
        String html = AdminPageBrowser.signIn(adminToken()).get("/admin/groups/" + groupId).then().statusCode(200)
                .extract().asString();
        String svg = html.substring(html.indexOf("<svg"), html.indexOf('>', html.indexOf("<svg")) + 1);
        assertThat(svg).contains("viewBox=\"0 0 ", "width=\"100%\"").doesNotContain("height=\"")
                .doesNotContainPattern("width=\"\\d+\"");
        assertThat(html).contains("figure.chart svg { display: block; width: 100%; height: auto; }");
    }

    private static String storeBlob(String group, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, "app", "blobs", digest), bytes, null, null).then().statusCode(200);
        return digest;
    }

    /** The table row that shows {@code digest}. */
    private static String row(String html, String digest) {
        int at = html.indexOf(digest);
        assertThat(at).as("a row for " + digest).isPositive();
        return html.substring(html.lastIndexOf("<tr>", at), html.indexOf("</tr>", at));
    }
}
