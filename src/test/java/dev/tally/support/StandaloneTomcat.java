package dev.tally.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Tomcat from the distribution that Maven unpacked ({@code tomcat.home}), started as its own JVM through
 * {@code Bootstrap}, like {@code catalina.sh run}: a {@code CATALINA_BASE} of its own with the distribution's
 * configuration, the files of a tomcat-conf variant over it, extra {@code catalina.properties} lines, and the
 * packaged WAR in {@code webapps/}.
 */
public final class StandaloneTomcat implements AutoCloseable {

    private final Path base;
    private final int port;
    private final boolean withTally;
    private String maxHeap;
    private List<String> jvmOptions = List.of();
    private Map<String, String> environment = Map.of();
    private Process process;

    private StandaloneTomcat(Path base, int port, boolean withTally) {
        this.base = base;
        this.port = port;
        this.withTally = withTally;
    }

    /**
     * Prepares a base directory and starts Tomcat on it, waiting until Tally answers.
     *
     * @param confFiles  files copied into {@code conf/} over the distribution's (e.g. tomcat-conf/cluster/server.xml)
     * @param properties lines appended to {@code conf/catalina.properties}; {@code tally.http.port} is the HTTP port
     */
    public static StandaloneTomcat start(List<Path> confFiles, Map<String, String> properties) throws Exception {
        Map<String, Path> byName = new java.util.LinkedHashMap<>();
        confFiles.forEach(file -> byName.put(file.getFileName().toString(), file));
        return startWith(byName, properties);
    }

    /**
     * As {@link #start(List, Map)}, with each file's place under {@code conf/} given, e.g.
     * {@code "Catalina/localhost/manager.xml"}.
     */
    public static StandaloneTomcat startWith(Map<String, Path> confFiles, Map<String, String> properties)
            throws Exception {
        return startWith(confFiles, properties, true);
    }

    /**
     * As {@link #startWith(Map, Map)}; without {@code withTally}, {@code webapps/} stays empty (for a test that deploys
     * through Tomcat Manager) and the start waits only until Tomcat answers HTTP.
     */
    public static StandaloneTomcat startWith(Map<String, Path> confFiles, Map<String, String> properties,
            boolean withTally) throws Exception {
        return startWith(confFiles, properties, withTally, "384m", List.of());
    }

    private static StandaloneTomcat startWith(Map<String, Path> confFiles, Map<String, String> properties,
            boolean withTally, String maxHeap, List<String> jvmOptions) throws Exception {
        return startWith(confFiles, properties, withTally, maxHeap, jvmOptions, Map.of());
    }

    private static StandaloneTomcat startWith(Map<String, Path> confFiles, Map<String, String> properties,
            boolean withTally, String maxHeap, List<String> jvmOptions, Map<String, String> environment)
            throws Exception {
        Path home = home();
        Path base = Files.createTempDirectory("tally-catalina-base");
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        for (Map.Entry<String, Path> file : confFiles.entrySet()) {
            Path target = base.resolve("conf").resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(file.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder lines = new StringBuilder("\n");
        properties.forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
        Files.writeString(base.resolve("conf/catalina.properties"), lines, java.nio.file.StandardOpenOption.APPEND);
        if (withTally) {
            Files.copy(ServletContainer.war().toPath(), base.resolve("webapps/tally.war"));
        }
        StandaloneTomcat tomcat = new StandaloneTomcat(base, Integer.parseInt(properties.get("tally.http.port")),
                withTally);
        tomcat.maxHeap = "-Xmx" + maxHeap;
        tomcat.jvmOptions = List.copyOf(jvmOptions);
        tomcat.environment = Map.copyOf(environment);
        tomcat.startProcess();
        return tomcat;
    }

    /** The {@code Authorization} header of tomcat-conf's Manager user for scripts and JMX, {@code tally-ops}. */
    public static final String OPS = Http.basic("tally-ops", "CHANGE-ME-ops");

    /**
     * Tomcat with {@code tomcat-conf/} installed as the docs say (docs/deploy.md, docs/sessions.md): the default files
     * (server.xml, context.xml, tomcat-users.xml, Catalina/localhost/manager.xml); then, for a {@code variant}
     * ({@code "persistent"}, {@code "cluster"}; null for none), that variant's {@code *.xml} over them and the
     * {@code -D} options of its {@code setenv.sh}; and {@code properties} appended to catalina.properties (for the
     * cluster, the node's lines). The default server.xml's HTTP port becomes {@code tally.http.port}, and its shutdown
     * port is turned off.
     */
    public static StandaloneTomcat withVariant(String variant, Map<String, String> properties) throws Exception {
        int port = Integer.parseInt(properties.get("tally.http.port"));
        Map<String, Path> files = shippedFiles();
        List<String> jvmOptions = new ArrayList<>();
        if (variant != null) {
            Path dir = Path.of("tomcat-conf", variant);
            try (Stream<Path> variantFiles = Files.list(dir)) {
                variantFiles.filter(f -> f.toString().endsWith(".xml"))
                        .forEach(f -> files.put(f.getFileName().toString(), f));
            }
            Path setenv = dir.resolve("setenv.sh");
            if (Files.exists(setenv)) {
                java.util.regex.Matcher option = java.util.regex.Pattern.compile("(?m)^[^#]*?(-D[^\\s\"]+)")
                        .matcher(Files.readString(setenv));
                while (option.find()) {
                    jvmOptions.add(option.group(1));
                }
            }
        }
        Path serverXml = onPort(Files.readString(files.get("server.xml")), port);
        files.put("server.xml", serverXml);
        try {
            return startWith(files, properties, true, "384m", jvmOptions);
        } finally {
            Files.delete(serverXml);
        }
    }

    /**
     * Tomcat with the files of {@code tomcat-conf/} as an operator installs them (server.xml, context.xml, users, the
     * Manager's descriptor), the HTTP connector on {@code port} and no shutdown port, and {@code settings} added to
     * context.xml as Tally's {@code <Parameter>}s.
     */
    public static StandaloneTomcat withShippedConf(int port, Map<String, String> settings, boolean withTally)
            throws Exception {
        return withShippedConf(port, settings, withTally, "384m");
    }

    /** As {@link #withShippedConf(int, Map, boolean)}, with the JVM's largest heap ({@code -Xmx}), e.g. "160m". */
    public static StandaloneTomcat withShippedConf(int port, Map<String, String> settings, boolean withTally,
            String maxHeap) throws Exception {
        return withShippedConf(port, settings, withTally, maxHeap, xml -> xml);
    }

    /**
     * As {@link #withShippedConf(int, Map, boolean, String)}, with the shipped server.xml changed as an operator would
     * (uncommenting an opt-in element, say) by {@code serverXmlChange}.
     */
    public static StandaloneTomcat withShippedConf(int port, Map<String, String> settings, boolean withTally,
            String maxHeap, java.util.function.UnaryOperator<String> serverXmlChange) throws Exception {
        Map<String, Path> files = shippedFiles();
        Path serverXml = onPort(serverXmlChange.apply(Files.readString(files.get("server.xml"))), port);
        StringBuilder parameters = new StringBuilder();
        settings.forEach((name, value) -> parameters.append("  <Parameter name=\"").append(name).append("\" value=\"")
                .append(value).append("\" override=\"false\"/>\n"));
        Path contextXml = Files.createTempFile("context", ".xml");
        Files.writeString(contextXml, Files.readString(files.get("context.xml"))
                .replace("</Context>", parameters + "</Context>"));
        files.put("server.xml", serverXml);
        files.put("context.xml", contextXml);
        try {
            return startWith(files, Map.of("tally.http.port", String.valueOf(port)), withTally, maxHeap, List.of());
        } finally {
            Files.delete(serverXml);
            Files.delete(contextXml);
        }
    }

    /**
     * Tomcat exactly as it comes, with none of tomcat-conf's files: no cluster, no session manager of Tally's, only
     * the HTTP port moved to {@code port} (and the shutdown port off), and {@code environment} added to the
     * process's environment, as an operator sets {@code TALLY_STORE} and the like.
     */
    public static StandaloneTomcat stock(int port, Map<String, String> environment) throws Exception {
        Path serverXml = onPort(Files.readString(home().resolve("conf/server.xml")), port);
        try {
            return startWith(Map.of("server.xml", serverXml), Map.of("tally.http.port", String.valueOf(port)), true,
                    "384m", List.of(), environment);
        } finally {
            Files.delete(serverXml);
        }
    }

    /** The default files of {@code tomcat-conf/} by their place under {@code conf/}, as the docs install them. */
    private static Map<String, Path> shippedFiles() {
        return new java.util.LinkedHashMap<>(Map.of(
                "server.xml", Path.of("tomcat-conf/server.xml"),
                "context.xml", Path.of("tomcat-conf/context.xml"),
                "tomcat-users.xml", Path.of("tomcat-conf/tomcat-users.xml"),
                "Catalina/localhost/manager.xml", Path.of("tomcat-conf/Catalina/localhost/manager.xml")));
    }

    /**
     * A temporary copy of {@code serverXml} with the default server.xml's HTTP port (8080) on {@code port} and its
     * shutdown port (8005) off, so that tests run side by side; a file with other ports is copied as it is.
     */
    private static Path onPort(String serverXml, int port) throws IOException {
        Path copy = Files.createTempFile("server", ".xml");
        Files.writeString(copy, serverXml.replace("port=\"8005\"", "port=\"-1\"")
                .replace("port=\"8080\"", "port=\"" + port + "\""));
        return copy;
    }

    static Path home() {
        Path home = Path.of(System.getProperty("tomcat.home", "target/tomcat-dist/apache-tomcat"));
        if (!Files.isDirectory(home.resolve("bin"))) {
            throw new IllegalStateException("No Tomcat distribution at " + home + ": run ./mvnw verify");
        }
        return home;
    }

    /**
     * Starts (or starts again, after {@link #kill()} or {@link #stop()}) Tomcat on the same base directory, and waits
     * until Tally answers its health check (or, started without Tally, until Tomcat answers at all).
     */
    public void startProcess() throws Exception {
        Path home = home();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), maxHeap,
                "-XX:TieredStopAtLevel=1",
                // As catalina.sh on Java 17: lets Tomcat find and clear what a stopped web application left behind.
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Dcatalina.home=" + home, "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-cp", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator
                        + home.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        command.addAll(1, jvmOptions);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile())).start();
        Http http = Http.withoutCookies(base());
        for (int attempt = 0; attempt < 600; attempt++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tomcat exited: " + console());
            }
            try {
                // Liveness: Tally is deployed and answers, whether or not its store does.
                HttpResponse<String> health = http.get("/api/health/live");
                if (health.statusCode() == 200 || !withTally) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Tomcat did not serve Tally within 60 s: " + console());
    }

    /**
     * The JMX attributes of Tally's session manager, {@code Catalina:type=Manager,host=localhost,context=/tally}, as
     * Tomcat Manager's JMX proxy lists them ({@code name: value} lines); needs the Manager of the shipped files.
     */
    public String managerMBean() {
        String query = java.net.URLEncoder.encode("Catalina:type=Manager,host=localhost,context=/tally",
                java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> answer = Http.withoutCookies("http://localhost:" + port + "/manager")
                .get("/jmxproxy/?qry=" + query, "Authorization", OPS);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("JMX proxy answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    public String base() {
        return "http://localhost:" + port + "/tally";
    }

    public long pid() {
        return process.pid();
    }

    /** Kills Tomcat at once, like {@code kill -9}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops Tomcat gracefully (SIGTERM runs its shutdown hook). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Its {@code logs/} directory: access logs, catalina's log, the console's. */
    public Path logs() {
        return base.resolve("logs");
    }

    public String console() {
        try {
            return Files.readString(base.resolve("logs/console.log"));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
