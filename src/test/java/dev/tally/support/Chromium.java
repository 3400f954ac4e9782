package dev.tally.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through ChromeDriver, both from Debian's packages ({@code chromium},
 * {@code chromium-driver}); nothing is downloaded by Selenium. Where they are missing they are installed, or the test
 * skipped, as {@link DebianPackages} says.
 */
public final class Chromium {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * A new browser with its own empty profile (its own cookies: another user), JavaScript on or off. Close it with
     * {@code quit()}.
     */
    public static ChromeDriver start(boolean javaScript) throws IOException {
        ensureInstalled();
        Path profile = Files.createTempDirectory("tally-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // The flags this machine's headless Chromium needs: root without a sandbox, no GPU, and none of the
        // background connections to the internet that a closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,800", "--user-data-dir=" + profile);
        if (!javaScript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static void ensureInstalled() {
        DebianPackages.require("Chromium", List.of(BROWSER, DRIVER), "chromium", "chromium-driver");
    }
}
