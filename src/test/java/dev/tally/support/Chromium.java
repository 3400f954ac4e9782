package dev.tally.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through ChromeDriver, both from Debian's packages ({@code chromium},
 * {@code chromium-driver}); nothing is downloaded by Selenium. Where they are missing on a Debian machine where the
 * tests run as root (CI), they are installed with apt-get first, and the output says so. Elsewhere the browser tests
 * are skipped with a message saying how to install them, except under CI, where a missing browser fails the run.
 */
public final class Chromium {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static Boolean available;

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

    private static synchronized void ensureInstalled() {
        if (available == null) {
            available = installed() || install();
        }
        if (!available) {
            String message = "No " + BROWSER + " and " + DRIVER + ": apt-get install chromium chromium-driver";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static boolean install() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !new File("/usr/bin/apt-get").canExecute()) {
            return false;
        }
        System.out.println("Chromium: not installed; installing Debian's chromium and chromium-driver with apt-get");
        try {
            run(List.of("apt-get", "update"));
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        } catch (IOException | InterruptedException e) {
            System.out.println("Chromium: apt-get failed: " + e);
        }
        return installed();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
    }
}
