package dev.tally.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Chromium;
import dev.tally.support.TallyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The home page in a real browser (headless Chromium): the buttons change the numbers in place with JavaScript and
 * through form posts without it, a second browser has its own session counter but sees the same global one, the
 * controls are labelled and work from the keyboard; the four kinds of state fit a desktop and a phone, and the API's
 * reference is a click away. Screenshots are saved as {@code target/home-page*.png}.
 */
class HomePageBrowserPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();
    private final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void buttonsUpdateBothCountersInPlaceAndASecondBrowserHasItsOwnSession() throws Exception {
        ChromeDriver first = browser(true);
        first.get(tally.base() + "/");
        assertThat(first.getTitle()).isEqualTo("Tally");
        long global = number(first, "global");
        assertThat(number(first, "session")).isZero();
        // A mark on this very page: if a click reloaded it, the mark would be gone.
        first.executeScript("window.tallyMark = 'no reload';");

        click(first, "Add one");
        waitFor(first, "session", 1);
        click(first, "Add one");
        waitFor(first, "session", 2);
        click(first, "Add one");
        waitFor(first, "session", 3);
        click(first, "Take one away");
        waitFor(first, "session", 2);
        click(first, "Count me in");
        waitFor(first, "global", global + 1);
        assertThat(first.executeScript("return window.tallyMark;")).as("the page was not reloaded")
                .isEqualTo("no reload");
        assertThat(first.findElement(By.id("status")).getText()).isEmpty();

        ChromeDriver second = browser(true);
        second.get(tally.base() + "/");
        assertThat(number(second, "session")).as("another browser: another session").isZero();
        assertThat(number(second, "global")).as("one global counter for everyone").isEqualTo(global + 1);
        click(second, "Add one");
        waitFor(second, "session", 1);
        click(second, "Count me in");
        waitFor(second, "global", global + 2);

        first.navigate().refresh();
        assertThat(number(first, "session")).isEqualTo(2);
        assertThat(number(first, "global")).isEqualTo(global + 2);
        Path screenshot = Path.of("target", "home-page.png");
        Files.write(screenshot, first.getScreenshotAs(OutputType.BYTES));
        assertThat(screenshot).isNotEmptyFile();
    }

    @Test
    void withoutJavaScriptTheButtonsPostAndComeBackToThePage() throws Exception {
        ChromeDriver browser = browser(false);
        browser.get(tally.base() + "/");
        long global = number(browser, "global");

        submit(browser, "Add one");
        assertThat(browser.getCurrentUrl()).isEqualTo(tally.base() + "/");
        assertThat(number(browser, "session")).isEqualTo(1);
        submit(browser, "Add one");
        submit(browser, "Take one away");
        submit(browser, "Add one");
        assertThat(number(browser, "session")).isEqualTo(2);
        submit(browser, "Count me in");
        assertThat(number(browser, "global")).isEqualTo(global + 1);
        submit(browser, "Reset");
        assertThat(number(browser, "session")).isZero();
        assertThat(browser.getCurrentUrl()).isEqualTo(tally.base() + "/");
    }

    @Test
    void everyControlIsLabelledAndWorksFromTheKeyboard() throws Exception {
        ChromeDriver browser = browser(true);
        browser.get(tally.base() + "/");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        for (String output : List.of("global", "session")) {
            WebElement element = browser.findElement(By.id(output));
            String label = browser.findElement(By.id(element.getAttribute("aria-labelledby"))).getText();
            assertThat(label).as("label of #" + output).isNotBlank();
            assertThat(element.getAttribute("aria-live")).isEqualTo("polite");
        }
        for (WebElement button : browser.findElements(By.tagName("button"))) {
            assertThat(button.getAccessibleName()).as("accessible name of a button").isNotBlank();
        }

        // Tab from the top of the page to "Add one" and press Enter, twice (the focus stays on the button while its
        // request runs), then Tab on to "Take one away" and press Space.
        tabTo(browser, "Add one").sendKeys(Keys.ENTER);
        waitFor(browser, "session", 1);
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        waitFor(browser, "session", 2);
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Take one away");
        new Actions(browser).sendKeys(Keys.SPACE).perform();
        waitFor(browser, "session", 1);
    }

    @Test
    void theFourKindsOfStateFitADesktopAndAPhoneAndTheApiIsOneClickAway() throws Exception {
        ChromeDriver browser = browser(true);
        for (Dimension size : List.of(new Dimension(1280, 900), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            browser.get(tally.base() + "/");
            for (String heading : List.of("global-heading", "session-heading", "request-heading", "cache-heading")) {
                WebElement element = browser.findElement(By.id(heading));
                assertThat(element.isDisplayed()).as(heading + " at " + size).isTrue();
                assertThat(element.getText()).isNotBlank();
            }
            assertThat(browser.findElement(By.id("request-id")).getText()).as("this request's id").isNotBlank();
            assertThat(browser.findElement(By.id("cached-at")).getText()).matches("\\d{2}:\\d{2}:\\d{2}");
            Object overflow = browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).longValue()).as("sideways scrolling at " + size).isLessThanOrEqualTo(0);
            Path screenshot = Path.of("target", "home-page-" + size.getWidth() + ".png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        }
        browser.findElement(By.linkText("The API")).click();
        assertThat(browser.getCurrentUrl()).isEqualTo(tally.base() + "/api.md");
        assertThat(browser.findElement(By.tagName("body")).getText()).startsWith("# HTTP API");
    }

    private ChromeDriver browser(boolean javaScript) throws Exception {
        ChromeDriver browser = Chromium.start(javaScript);
        browsers.add(browser);
        return browser;
    }

    private static long number(WebDriver browser, String id) {
        return Long.parseLong(browser.findElement(By.id(id)).getText().strip());
    }

    private static void click(WebDriver browser, String button) {
        browser.findElement(By.xpath("//button[normalize-space()='" + button + "']")).click();
    }

    /**
     * Clicks a button whose form posts and comes back, and waits until the page it left is gone and the new one has
     * loaded. Chromium 156 sometimes reports an element of a replaced document as "Node with given id does not belong
     * to the document" rather than as stale, on a click as well as on a check: that click never reached the page, so
     * it is made again on the new document.
     */
    private static void submit(WebDriver browser, String button) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        for (int attempt = 1; ; attempt++) {
            wait.until(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript(
                    "return document.readyState")));
            WebElement element = browser.findElement(By.xpath("//button[normalize-space()='" + button + "']"));
            try {
                element.click();
            } catch (WebDriverException replaced) {
                if (attempt < 3 && String.valueOf(replaced.getMessage()).contains("does not belong to the document")) {
                    continue;
                }
                throw replaced;
            }
            wait.until(driver -> gone(element));
            wait.until(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript(
                    "return document.readyState")));
            return;
        }
    }

    /** Whether the element's page has been replaced: stale, or (Chromium 156) no longer in its document. */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (WebDriverException e) {
            return e instanceof StaleElementReferenceException
                    || String.valueOf(e.getMessage()).contains("does not belong to the document");
        }
    }

    private static void waitFor(WebDriver browser, String id, long value) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> number(driver, id) == value);
    }

    /** Moves the keyboard focus with Tab, from wherever it is, until it is on the named button. */
    private static WebElement tabTo(ChromeDriver browser, String button) {
        for (int i = 0; i < 20; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            if (focused.getTagName().equals("button") && focused.getText().equals(button)) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached the button " + button);
    }
}
