package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

/**
 * The upstream, group upstream and prefetch pages in a real headless Chromium through the whole stack: an
 * administrator adds a registry that wants HTTP Basic and sees its connection test, puts it in a group's list and
 * moves it up with the keyboard, is refused its deletion with the group named, and watches a prefetch job reach
 * 100 % on its page without reloading it (the upstream link is slowed so the job is still running when the page
 * opens). Every page visited is saved under {@code target/screenshots/}.
 */
class AdminUpstreamPagesIT {
    private static final String MIRROR_USER = "mirror-robot";
    private static final String MIRROR_PASSWORD = "mirror-s3cret-password";
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry mirror;
    private static FaultyLink link;
    private static ProxyStack stack;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startEverything() throws Exception {
        UpstreamRegistry upstream = e2e.upstream("upstream");
        e2e.pushImage(upstream, "library/app:v1", 29, 40_000, 2_500_000);
        mirror = e2e.upstream(UpstreamRegistry.withBasicAuth(e2e.dir("mirror"), MIRROR_USER, MIRROR_PASSWORD));
        link = e2e.closeAtEnd(FaultyLink.to("default-upstream", Integer.parseInt(upstream.hostPort().split(":")[1])));
        stack = e2e.stackBehind(link.url());
        browser = e2e.browser();
    }

    @Test
    void anAdministratorAddsTestsOrdersAndCannotDeleteAListedUpstream() throws Exception {
        long groupId = stack.createGroup("ordered");
        browser.signIn(stack.url(), ProxyStack.ADMIN_TOKEN);
        browser.clickAndWait("header nav a[href='/admin/upstreams']");
        assertThat(browser.text("#upstreams")).contains("(default)");

        browser.fill("upstream-name", "mirror.e2e");
        browser.fill("upstream-url", mirror.url());
        browser.fill("upstream-username", MIRROR_USER);
        browser.fill("upstream-secret", MIRROR_PASSWORD);
        browser.screenshot("upstream-add");
        browser.submit("create-upstream");
        assertThat(browser.text("#notice")).startsWith("The upstream was added.");
        String upstreamPage = browser.currentPath();
        assertThat(browser.find("#upstream-secret").getAttribute("value")).isEmpty();
        assertThat(browser.find("#upstream-username").getAttribute("value")).isEqualTo(MIRROR_USER);

        browser.submit("test-upstream");
        assertThat(browser.text("#test-summary")).isEqualTo("Healthy");
        assertThat(browser.text("#test-result")).contains("answered 401, asking for a user name and password (Basic)",
                "With the stored credentials it answered 200");
        assertThat(browser.pageText()).doesNotContain(MIRROR_PASSWORD);
        browser.screenshot("upstream-tested");

        browser.open(stack.url() + "/admin/upstreams");
        assertThat(rowOf("#upstreams", "mirror.e2e")).contains("Healthy", MIRROR_USER, "groups that list it");
        browser.screenshot("upstreams");

        reorderTheGroupsUpstreams(groupId);

        browser.open(stack.url() + upstreamPage);
        browser.click("#confirm-delete");
        browser.submit("delete-upstream");
        assertThat(browser.text("#form-error")).contains("is in the upstream list of 1 group (ordered)");
        browser.screenshot("upstream-delete-refused");
        assertThat(stack.admin("GET", "/dependency_proxy/upstreams", null).toString()).contains("mirror.e2e");

        browser.open(stack.url() + "/admin/groups/" + groupId + "/upstreams");
        browser.clickAndWait("button[aria-label='Remove mirror.e2e from the list']");
        browser.open(stack.url() + upstreamPage);
        browser.click("#confirm-delete");
        browser.submit("delete-upstream");
        assertThat(browser.text("#notice")).isEqualTo("The upstream was deleted.");
        assertThat(browser.text("#upstreams")).doesNotContain("mirror.e2e");
        browser.clickAndWait("#sign-out");
    }

    private static void reorderTheGroupsUpstreams(long groupId) throws Exception {
        String page = stack.url() + "/admin/groups/" + groupId + "/upstreams";
        browser.open(page);
        assertThat(browser.text("#inherited")).contains("the default upstream");
        assertThat(names()).hasSize(1);
        browser.submit("add-group-upstream");
        assertThat(browser.text("#notice")).isEqualTo("The group's upstreams were saved.");
        assertThat(names()).hasSize(2).endsWith("mirror.e2e");

        // from the keyboard: focus the "up" button and press Enter
        WebElement up = browser.find("button[aria-label='Move mirror.e2e up']");
        browser.script("window.__dpOldPage = true");
        up.sendKeys(Keys.ENTER);
        eventually(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(browser.script("return window.__dpOldPage === undefined && document.readyState === 'complete'"))
                    .isEqualTo(true);
            assertThat(names()).first().isEqualTo("mirror.e2e");
        });
        JsonNode list = stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/upstreams", null);
        assertThat(list.get("upstreams").get(0).get("name").asText()).isEqualTo("mirror.e2e");
        assertThat(list.get("inherited").asBoolean()).isFalse();

        browser.click("#fallback-on-error");
        browser.submit("fallback-form");
        assertThat(browser.find("#fallback-on-error").isSelected()).isTrue();
        assertThat(stack.admin("GET", "/groups/" + groupId + "/dependency_proxy/upstreams", null)
                .get("fallback_on_error").asBoolean()).isTrue();
        browser.screenshot("group-upstreams");
    }

    @Test
    void aPrefetchJobsPageFollowsItToOneHundredPercentWithoutReloading() throws Exception {
        long groupId = stack.createGroup("warm");
        browser.signIn(stack.url(), ProxyStack.ADMIN_TOKEN);
        browser.open(stack.url() + "/admin/groups/" + groupId);
        browser.clickAndWait("nav.tabs a[href$='/prefetch']");
        assertThat(browser.text("#no-jobs")).contains("No prefetch jobs");
        browser.fill("prefetch-images", "app:v1");
        browser.fill("prefetch-platforms", "linux/amd64");
        link.throttleResponses(400_000);
        try {
            browser.submit("start-prefetch");
            assertThat(browser.find("#job").getAttribute("data-running")).as("still running when the page opened")
                    .isEqualTo("true");
            assertThat(browser.text("#job-percent")).isNotEqualTo("100 %");
            browser.script("window.__dpSamePage = true");
            browser.screenshot("prefetch-running");
            eventually(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(browser.text("#job-percent")).isEqualTo("100 %");
                assertThat(browser.text("#job-status")).isEqualTo("succeeded");
            });
        } finally {
            link.heal();
        }
        assertThat(browser.script("return window.__dpSamePage === true")).as("the page was not reloaded")
                .isEqualTo(true);
        assertThat(browser.find("#job-progress").getAttribute("value")).isEqualTo("100");
        assertThat(rowOf("#job-image-table", "app:v1")).contains("done");
        browser.screenshot("prefetch-done");

        browser.clickAndWait("a[href$='/prefetch']:not([aria-current])");
        assertThat(browser.text("#jobs")).contains("succeeded", "100 %", "1 of 1");
        browser.screenshot("prefetch-jobs");
        browser.clickAndWait("#sign-out");
    }

    /** The upstream names of the group's list, in order. */
    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (WebElement cell : browser.findAll("#group-upstreams td.upstream-name")) {
            names.add(cell.getText());
        }
        return names;
    }

    /** The text of the table's row whose first cell starts with {@code first}. */
    private static String rowOf(String table, String first) {
        return browser.findAll(table + " tbody tr").stream().map(WebElement::getText)
                .filter(text -> text.startsWith(first)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in " + browser.text(table)));
    }

    /** Awaitility's wait, also asking again while the page is being replaced. */
    private static ConditionFactory eventually(Duration timeout) {
        return await().atMost(timeout).ignoreExceptionsInstanceOf(WebDriverException.class);
    }
}
