package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

/**
 * The admin page's forms in a real headless Chromium, through the accelerator: a refused value comes back as it was
 * typed and ticked, with the message right under its field in the label's words; revoking a deploy token asks first,
 * and cancelling keeps it. The pages are saved under {@code target/screenshots/}.
 */
class AdminFormsIT {
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static ProxyStack stack;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startEverything() throws Exception {
        stack = e2e.stack(Map.of("DP_UPSTREAM_URL", e2e.upstream("upstream").url()));
        browser = e2e.browser();
        browser.signIn(stack.url(), ProxyStack.ADMIN_TOKEN);
    }

    @Test
    void aRefusedValueKeepsWhatWasTypedAndSaysWhyUnderItsField() throws Exception {
        long groupId = stack.createGroup("forms-ttl");
        browser.open(stack.url() + "/admin/groups/" + groupId + "/settings");
        assertThat(browser.find("#ttl-enabled").isSelected()).isFalse();
        browser.click("#ttl-enabled");
        browser.fill("ttl", "0");
        browser.submit("ttl-form");

        WebElement field = browser.find("#ttl");
        WebElement message = browser.find("#ttl-error");
        assertThat(field.getAttribute("value")).isEqualTo("0");
        assertThat(browser.find("#ttl-enabled").isSelected()).as("the box ticked before saving").isTrue();
        assertThat(message.getText()).isEqualTo("Days without a pull before an object expires must be between 1 and 3650.");
        assertThat(field.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(field.getAttribute("aria-describedby")).contains("ttl-error");
        // right under the field, above the form's button, and the page has no message anywhere else
        Rectangle input = field.getRect();
        Rectangle under = message.getRect();
        Rectangle button = browser.find("#ttl-form button[type=submit]").getRect();
        assertThat(under.getY()).isGreaterThanOrEqualTo(input.getY() + input.getHeight()).isLessThan(button.getY());
        assertThat(under.getX()).isEqualTo(input.getX());
        assertThat(browser.findAll("#form-error")).isEmpty();
        browser.screenshot("form-refused-value-kept");

        // corrected in place and saved
        browser.fill("ttl", "30");
        browser.submit("ttl-form");
        assertThat(browser.text("#notice")).isEqualTo("The cache expiry policy was saved.");
        var policy = stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/ttl_policy", null);
        assertThat(policy.get("ttl").asInt()).isEqualTo(30);
        assertThat(policy.get("enabled").asBoolean()).isTrue();
    }

    @Test
    void revokingADeployTokenAsksFirst() throws Exception {
        long groupId = stack.createGroup("forms-revoke");
        String tokens = "/admin/groups/" + groupId + "/deploy_tokens";
        browser.open(stack.url() + tokens);
        browser.fill("token-name", "ci");
        browser.submit("create-token");
        assertThat(browser.find("#created-secret").getAttribute("value")).startsWith("gldt-");
        long tokenId = stack.admin("GET", "/groups/" + groupId + "/deploy_tokens", null).get(0).get("id").asLong();

        browser.open(stack.url() + tokens);
        browser.clickAndWait("#tokens button.danger");
        assertThat(browser.text("h1")).isEqualTo("Revoke the deploy token ci?");
        assertThat(browser.text("#revoke-question")).contains("ci");
        browser.screenshot("revoke-token-asks");
        assertThat(revoked(groupId, tokenId)).as("asking revoked nothing").isFalse();

        browser.clickAndWait("#cancel-revoke");
        assertThat(browser.currentPath()).isEqualTo(tokens);
        assertThat(browser.text("#tokens")).doesNotContain("revoked");
        assertThat(revoked(groupId, tokenId)).isFalse();

        browser.clickAndWait("#tokens button.danger");
        browser.clickAndWait("#confirm-revoke");
        assertThat(browser.text("#notice")).isEqualTo("The deploy token was revoked.");
        assertThat(browser.text("#tokens")).contains("revoked");
        assertThat(revoked(groupId, tokenId)).isTrue();
        browser.screenshot("revoke-token-done");
    }

    private static boolean revoked(long groupId, long tokenId) throws Exception {
        return stack.admin("GET", "/groups/" + groupId + "/deploy_tokens/" + tokenId, null).get("revoked").asBoolean();
    }
}
