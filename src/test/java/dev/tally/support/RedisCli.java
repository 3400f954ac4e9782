package dev.tally.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis commands through {@code redis-cli} (Debian's redis-server brings it), for the test helpers that drive Redis
 * processes of their own (Sentinel sets, clusters) from suites whose class path holds no Redis client.
 */
public final class RedisCli {

    private RedisCli() {
    }

    /** One command through redis-cli against 127.0.0.1:{@code port}: its reply's lines; empty if it failed. */
    public static List<String> cli(int port, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return List.of();
            }
            return out.lines().map(String::strip).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
