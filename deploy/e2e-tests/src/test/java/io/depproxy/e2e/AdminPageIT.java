package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin page in a real headless Chromium, through the accelerator of the whole stack: a person signs in with the
 * admin token, creates a group, copies its image prefix, pulls through it with skopeo and finds the pull in the
 * cache list, changes the TTL, creates a deploy token, purges and signs out. A form posted without the session's
 * CSRF token is refused. Every page visited is saved under {@code target/screenshots/}.
 */
class AdminPageIT {
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static ProxyStack stack;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startEverything() throws Exception {
        UpstreamRegistry upstream = e2e.upstream("upstream");
        e2e.pushImage(upstream, "library/app:v1", 13, 40_000, 2_500_000);
        stack = e2e.stackBehind(upstream.url());
        browser = e2e.browser();
    }

    @Test
    void anAdministratorWorksThroughEveryPage() throws Exception {
        signIn();
        browser.screenshot("groups-empty");

        browser.fill("group-name", "Acme");
        browser.fill("group-path", "acme");
        browser.submit("create-group");
        assertThat(browser.text("#notice")).isEqualTo("The group was created.");
        String groupPage = browser.currentPath();
        String prefix = browser.find("#image-prefix").getAttribute("value");
        assertThat(prefix).endsWith("/acme/dependency_proxy/containers");
        assertThat(browser.find("#docker-login").getAttribute("value")).startsWith("docker login ").endsWith(" -u root");

        browser.fill("subgroup-name", "Platform");
        browser.fill("subgroup-path", "platform");
        browser.submit("create-subgroup");
        assertThat(browser.find("#image-prefix").getAttribute("value"))
                .endsWith("/acme/platform/dependency_proxy/containers");
        browser.open(stack.url() + groupPage);
        assertThat(browser.text("#subgroups")).contains("acme/platform");

        browser.allowClipboard(stack.url());
        browser.click("#copy-prefix");
        assertThat(browser.text("#copy-prefix")).isEqualTo("Copied");
        String copied = browser.clipboard();
        assertThat(copied).isEqualTo(prefix);

        Skopeo.pull(copied + "/app:v1", "root:" + ProxyStack.ADMIN_TOKEN, e2e.dir("pull-1"))
                .assertSuccess(List.of("first pull"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            browser.open(stack.url() + groupPage + "/manifests");
            assertThat(browser.findAll("#cache tbody tr")).isNotEmpty();
            assertThat(browser.text("#cache")).contains("app:v1", "image manifest", "cached");
            browser.open(stack.url() + groupPage + "/blobs");
            assertThat(browser.findAll("#cache td:last-child")).hasSize(3)
                    .allMatch(status -> status.getText().equals("cached"));
            assertThat(browser.findAll("#cache td:first-child")).extracting(kind -> kind.getText())
                    .containsExactlyInAnyOrder("image config", "layer", "layer");
        });
        Skopeo.pull(copied + "/app:v1", "root:" + ProxyStack.ADMIN_TOKEN, e2e.dir("pull-2"))
                .assertSuccess(List.of("second pull, from the cache"));

        browser.open(stack.url() + groupPage + "/manifests");
        browser.fill("search", "app");
        browser.submit("search-form");
        assertThat(browser.text("#cache")).contains("app:v1");
        browser.screenshot("manifests");
        browser.fill("search", "no-such-image");
        browser.submit("search-form");
        assertThat(browser.text("#empty-cache")).contains("no-such-image");
        browser.open(stack.url() + groupPage + "/blobs");
        assertThat(browser.findAll("#cache tbody tr")).hasSize(3);
        browser.screenshot("blobs");

        browser.open(stack.url() + groupPage);
        assertThat(browser.text("#statistics")).contains("4 hits, 4 misses");
        assertThat(browser.findAll("#chart svg rect")).isNotEmpty();
        browser.screenshot("group-overview");

        changeTheTtl(groupPage);
        createAndRevokeADeployToken(groupPage);
        purge(groupPage);

        browser.clickAndWait("#sign-out");
        assertThat(browser.currentPath()).isEqualTo("/admin/sign_in");
        assertThat(browser.text("#notice")).isEqualTo("You are signed out.");
        browser.screenshot("signed-out");
        browser.open(stack.url() + groupPage);
        assertThat(browser.currentPath()).isEqualTo("/admin/sign_in");
    }

    @Test
    void aFormPostedWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        long groupId = stack.createGroup("forged");
        signIn();
        String settings = "/admin/groups/" + groupId + "/settings";
        browser.open(stack.url() + settings);
        // the form another page would make the browser post: the same fields, no csrf_token
        browser.script("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                for (const [name, value] of [['enabled', 'true'], ['ttl', '1']]) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();""", "/admin/groups/" + groupId + "/ttl_policy");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(browser.text("h1")).isEqualTo("Error 403"));
        assertThat(browser.text("#error-message")).contains("CSRF token");
        browser.screenshot("forged-post-refused");

        assertThat(stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/ttl_policy", null)
                .get("enabled").asBoolean()).isFalse();
        browser.clickAndWait("#sign-out");
    }

    private static void signIn() throws Exception {
        browser.open(stack.url() + "/admin");
        assertThat(browser.currentPath()).isEqualTo("/admin/sign_in");
        browser.screenshot("sign-in");
        browser.fill("token", "not-a-token");
        browser.submit("sign-in-form");
        assertThat(browser.text("#token-error")).contains("unknown, expired or revoked");
        browser.fill("token", ProxyStack.ADMIN_TOKEN);
        browser.submit("sign-in-form");
        assertThat(browser.currentPath()).isEqualTo("/admin/groups");
        assertThat(browser.text("#signed-in-user")).isEqualTo("root");
    }

    private static void changeTheTtl(String groupPage) throws Exception {
        browser.open(stack.url() + groupPage + "/settings");
        browser.fill("ttl", "0");
        browser.submit("ttl-form");
        assertThat(browser.text("#ttl-error"))
                .isEqualTo("Days without a pull before an object expires must be between 1 and 3650.");
        browser.screenshot("settings-validation");
        if (!browser.find("#ttl-enabled").isSelected()) {
            browser.click("#ttl-enabled");
        }
        browser.fill("ttl", "14");
        browser.submit("ttl-form");
        assertThat(browser.text("#notice")).isEqualTo("The cache expiry policy was saved.");
        assertThat(browser.find("#ttl").getAttribute("value")).isEqualTo("14");
        assertThat(browser.find("#ttl-enabled").isSelected()).isTrue();
        browser.screenshot("settings");
        String groupId = groupPage.substring(groupPage.lastIndexOf('/') + 1);
        var policy = stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/ttl_policy", null);
        assertThat(policy.get("ttl").asInt()).isEqualTo(14);
        assertThat(policy.get("enabled").asBoolean()).isTrue();
    }

    private static void createAndRevokeADeployToken(String groupPage) throws Exception {
        browser.open(stack.url() + groupPage + "/deploy_tokens");
        browser.fill("token-name", "ci");
        browser.submit("create-token");
        String token = browser.find("#created-secret").getAttribute("value");
        String username = browser.find("#created-username").getAttribute("value");
        assertThat(token).startsWith("gldt-");
        browser.screenshot("deploy-token-created");
        Skopeo.pull(prefixOf(groupPage) + "/app:v1", username + ":" + token, e2e.dir("pull-deploy-token"))
                .assertSuccess(List.of("pull with the new deploy token"));

        browser.open(stack.url() + groupPage + "/deploy_tokens");
        assertThat(browser.pageText()).doesNotContain(token);
        browser.clickAndWait("#tokens button.danger");
        browser.clickAndWait("#confirm-revoke");
        assertThat(browser.text("#notice")).isEqualTo("The deploy token was revoked.");
        assertThat(browser.text("#tokens")).contains("revoked");
        browser.screenshot("deploy-tokens");
    }

    private static void purge(String groupPage) throws Exception {
        browser.open(stack.url() + groupPage + "/purge");
        browser.fill("confirm", "wrong");
        browser.submit("purge-form");
        assertThat(browser.text("#confirm-error")).contains("to confirm the purge");
        browser.fill("confirm", "acme");
        browser.screenshot("purge-confirmation");
        browser.submit("purge-form");
        assertThat(browser.text("#notice")).startsWith("The purge has started");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            browser.open(stack.url() + groupPage + "/manifests");
            assertThat(browser.findAll("#cache td:last-child")).noneMatch(status -> status.getText().equals("cached"));
        });
        browser.open(stack.url() + groupPage);
        assertThat(browser.text("#stored-bytes")).isEqualTo("0 B");
    }

    private static String prefixOf(String groupPage) {
        browser.open(stack.url() + groupPage);
        return browser.find("#image-prefix").getAttribute("value");
    }
}
