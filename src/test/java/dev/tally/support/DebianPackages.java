package dev.tally.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test needs from Debian's packages (Chromium, promtool): when it is missing and the tests run as root on
 * Debian (CI), it is installed with apt-get first, and the output says so. Elsewhere the test is skipped with a
 * message saying how to install it, except under CI ({@code CI} set), where a missing tool fails the run: a check
 * that CI silently skipped would not be a check.
 */
public final class DebianPackages {

    private DebianPackages() {
    }

    /**
     * Returns once every one of {@code files} is executable, installing {@code packages} if one is not; aborts the
     * test (or fails it under CI) when they cannot be had. {@code what} names them in the output.
     */
    public static synchronized void require(String what, List<Path> files, String... packages) {
        if (installed(files)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && new File("/usr/bin/apt-get").canExecute()) {
            System.out.println(what + ": not installed; installing Debian's " + String.join(" and ", packages)
                    + " with apt-get");
            try {
                run(List.of("apt-get", "update"));
                List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
                install.addAll(List.of(packages));
                run(install);
            } catch (IOException | InterruptedException e) {
                System.out.println(what + ": apt-get failed: " + e);
            }
        }
        if (!installed(files)) {
            String message = "No " + what + " (" + files + "): apt-get install " + String.join(" ", packages);
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
    }

    private static boolean installed(List<Path> files) {
        return files.stream().allMatch(Files::isExecutable);
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
