package dev.tally.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Tomcat node as a separate JVM process (see {@link TomcatMain}), on localhost: its own heap, its own copy of
 * every static and every in-memory store, exactly like another node of a cluster.
 */
public final class TomcatProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private TomcatProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code count} nodes at once with the same settings and waits until all serve. */
    public static List<TomcatProcess> start(int count, Map<String, String> settings) throws Exception {
        List<CompletableFuture<TomcatProcess>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return start(settings);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<TomcatProcess> nodes = new ArrayList<>();
        for (CompletableFuture<TomcatProcess> node : starting) {
            nodes.add(node.get(3, TimeUnit.MINUTES));
        }
        return nodes;
    }

    public static TomcatProcess start(Map<String, String> settings) throws Exception {
        return start(List.of(), settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /**
     * Starts one node.
     *
     * @param jvmOptions such as {@code -Dname=value}
     * @param arguments  for {@link TomcatMain}: settings as {@code name=value}, {@code --base=DIR},
     *                   {@code --context-xml=FILE}
     */
    public static TomcatProcess start(List<String> jvmOptions, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dtally.war=" + ServletContainer.war().getAbsolutePath()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TomcatMain.class.getName()));
        command.addAll(arguments);
        Path log = Files.createTempFile("tally-node", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int bound;
        try {
            bound = port.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            bound = -1;
        }
        if (bound < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("Tomcat node did not start; its log: " + Files.readString(log));
        }
        return new TomcatProcess(process, bound, log);
    }

    public String base() {
        return "http://localhost:" + port + "/tally";
    }

    public long pid() {
        return process.pid();
    }

    /** What the node wrote to standard error: Tomcat's log. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Kills the node at once, like {@code kill -9}: no shutdown of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the node gracefully: its input closes, Tomcat stops, the JVM exits. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        new File(log.toString()).delete();
    }
}
