package io.depproxy.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Debian {@code chromium}, headless, driven through the Debian {@code chromium-driver} (no driver download): a
 * laptop-sized window, the steps a person takes on the admin page, and a screenshot of each page.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** A laptop screen. */
    private static final int WIDTH = 1366;
    private static final int HEIGHT = 900;

    private final ChromeDriver driver;
    private int shots;

    HeadlessChromium(Path profile) throws IOException {
        ExternalCommand.requireOnPath("chromium");
        ExternalCommand.requireOnPath("chromedriver");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    void open(String url) {
        driver.get(url);
    }

    String currentPath() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    List<WebElement> findAll(String cssSelector) {
        return driver.findElements(By.cssSelector(cssSelector));
    }

    String text(String cssSelector) {
        return find(cssSelector).getText();
    }

    String pageText() {
        return find("body").getText();
    }

    /** Types into the field with that label's {@code for} id, replacing what it held. */
    void fill(String fieldId, String value) {
        WebElement field = find("#" + fieldId);
        field.clear();
        field.sendKeys(value);
    }

    /** Submits the form with that id through its submit button, and waits for the page it leads to. */
    void submit(String formId) {
        clickAndWait("#" + formId + " button[type=submit]");
    }

    /** Signs in on the admin page at {@code baseUrl} with {@code token}; fails unless the groups page opens. */
    void signIn(String baseUrl, String token) {
        open(baseUrl + "/admin/sign_in");
        fill("token", token);
        submit("sign-in-form");
        if (!currentPath().equals("/admin/groups")) {
            throw new AssertionError("signing in led to " + currentPath() + ", not /admin/groups");
        }
    }

    /** Clicks something that stays on the page (a copy button, a checkbox). */
    void click(String cssSelector) {
        find(cssSelector).click();
    }

    /**
     * Clicks something that loads another page, and waits until the old one is gone and the new one loaded. The old
     * page is marked with a script variable rather than held as an element: asking the driver about an element of a
     * page being unloaded can fail with an error other than "stale" ("Node with given id does not belong to the
     * document"); a script that runs mid-navigation may fail too, and is simply asked again.
     */
    void clickAndWait(String cssSelector) {
        driver.executeScript("window.__dpOldPage = true");
        find(cssSelector).click();
        await().alias("clicking " + cssSelector + " led to a new page").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(WebDriverException.class)
                .until(() -> Boolean.TRUE.equals(driver.executeScript(
                        "return window.__dpOldPage === undefined && document.readyState === 'complete'")));
    }

    /** Lets the page's origin read the clipboard, as a person pasting would. */
    void allowClipboard(String origin) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    String clipboard() {
        return (String) driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0],"
                + " e => arguments[0]('clipboard: ' + e))");
    }

    Object script(String javascript, Object... arguments) {
        return driver.executeScript(javascript, arguments);
    }

    /** Saves the whole page as {@code target/screenshots/NN-name.png} and returns the file. */
    Path screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name));
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.max(HEIGHT, height + 100)));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        }
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
