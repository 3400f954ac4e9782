package dev.tally.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Redis or PostgreSQL server of a test's own, in a directory of its own on a free port, that the test may kill with
 * SIGKILL ({@code kill -9}) and start again on the same data, without touching the machine's shared servers. Built
 * from the binaries installed on the machine ({@code redis-server}; PostgreSQL's {@code initdb} and {@code postgres}
 * under /usr/lib/postgresql); {@link #redis} and {@link #postgres} say what is missing when they cannot.
 */
public final class StoreProcess implements AutoCloseable {

    private final List<String> command;
    private final Path directory;
    private final int port;
    private final Path pidFile;
    private Process process;

    private StoreProcess(List<String> command, Path directory, int port, Path pidFile) {
        this.command = command;
        this.directory = directory;
        this.port = port;
        this.pidFile = pidFile;
    }

    /** A Redis server with the given persistence settings (e.g. "--appendonly", "yes"), or empty without the binary. */
    public static Optional<StoreProcess> redis(String... persistence) throws IOException {
        Optional<Path> binary = onPath("redis-server");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Path directory = Files.createTempDirectory("tally-redis");
        int port = TestServers.freePort();
        List<String> command = new ArrayList<>(List.of(binary.get().toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", directory.toString(), "--daemonize", "no", "--save", ""));
        command.addAll(List.of(persistence));
        return Optional.of(new StoreProcess(command, directory, port, null));
    }

    /**
     * A Redis server that takes only TLS connections, with the PEM files {@code server.crt}, {@code server.key} and
     * {@code ca.crt} of {@code certificates}; with {@code clientCertificates}, only from a client whose certificate
     * {@code ca.crt} signed. Empty without the binary.
     */
    public static Optional<StoreProcess> redisTls(Path certificates, boolean clientCertificates) throws IOException {
        Optional<Path> binary = onPath("redis-server");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Path directory = Files.createTempDirectory("tally-redis-tls");
        int port = TestServers.freePort();
        List<String> command = List.of(binary.get().toString(), "--port", "0", "--tls-port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", directory.toString(), "--daemonize", "no", "--save", "",
                "--tls-cert-file", certificates.resolve("server.crt").toString(),
                "--tls-key-file", certificates.resolve("server.key").toString(),
                "--tls-ca-cert-file", certificates.resolve("ca.crt").toString(),
                "--tls-auth-clients", clientCertificates ? "yes" : "no");
        return Optional.of(new StoreProcess(command, directory, port, null));
    }

    /**
     * A Redis Sentinel that monitors the master at {@code masterPort} on 127.0.0.1 under {@code name} (quorum 2), and
     * counts it down after {@code downAfterMillis} without an answer; or empty without the binary.
     */
    public static Optional<StoreProcess> redisSentinel(String name, int masterPort, int downAfterMillis)
            throws IOException {
        Optional<Path> binary = onPath("redis-server");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Path directory = Files.createTempDirectory("tally-sentinel");
        int port = TestServers.freePort();
        Path config = directory.resolve("sentinel.conf");
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + directory,
                "sentinel monitor " + name + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + name + " " + downAfterMillis,
                "sentinel failover-timeout " + name + " 10000",
                "sentinel parallel-syncs " + name + " 2",
                ""));
        return Optional.of(new StoreProcess(List.of(binary.get().toString(), config.toString(), "--sentinel"),
                directory, port, null));
    }

    /**
     * A PostgreSQL cluster created with initdb (trust authentication, database postgres, PostgreSQL's durable
     * defaults: fsync and synchronous_commit on), or empty without the binaries. As root it runs as the postgres
     * user, since PostgreSQL refuses to run as root.
     */
    public static Optional<StoreProcess> postgres() throws IOException, InterruptedException {
        Optional<Path> bin = newestPostgresBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (bin.isEmpty() || root && onPath("runuser").isEmpty()) {
            return Optional.empty();
        }
        Path directory = Files.createTempDirectory("tally-postgres");
        Path data = directory.resolve("data");
        List<String> asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        if (root) {
            run(List.of("chown", "postgres:postgres", directory.toString()));
        }
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "--no-sync"));
        run(initdb);
        int port = TestServers.freePort();
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of(bin.get().resolve("postgres").toString(), "-D", data.toString(), "-p",
                String.valueOf(port), "-k", directory.toString(), "-c", "listen_addresses=127.0.0.1"));
        return Optional.of(new StoreProcess(command, directory, port, data.resolve("postmaster.pid")));
    }

    public int port() {
        return port;
    }

    /** Starts the server on its data directory and waits until it accepts connections. */
    public StoreProcess start() throws IOException, InterruptedException {
        if (pidFile != null) {
            Files.deleteIfExists(pidFile); // left by a killed postmaster whose processes are all gone
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!TestServers.reachable(port) || pidFile != null && serverPid().isEmpty()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("The server did not start: " + command + "\n"
                        + Files.readString(directory.resolve("server.log")));
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** Whether the server process runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL to the server process (PostgreSQL: the postmaster); returns once it and its children are gone. */
    public void kill9() throws InterruptedException {
        ProcessHandle server = serverPid().flatMap(ProcessHandle::of).orElse(process.toHandle());
        List<ProcessHandle> children = server.children().toList();
        server.destroyForcibly();
        server.onExit().join();
        for (ProcessHandle child : children) {
            child.onExit().join(); // PostgreSQL's backends end when they notice the postmaster has gone
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill9();
        }
        run(List.of("rm", "-rf", directory.toString()));
    }

    private Optional<Long> serverPid() {
        if (pidFile == null) {
            return Optional.of(process.pid());
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() > 7 && lines.get(7).strip().equals("ready") ? Optional.of(Long.parseLong(lines.get(0)
                    .strip())) : Optional.empty();
        } catch (IOException | NumberFormatException notYet) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path sbin = Path.of("/usr/sbin", name);
        return Files.isExecutable(sbin) ? Optional.of(sbin) : Optional.empty();
    }

    private static Optional<Path> newestPostgresBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (var versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres"))
                            && Files.isExecutable(bin.resolve("initdb")))
                    .max((a, b) -> Integer.compare(major(a), major(b)));
        }
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
    }
}
