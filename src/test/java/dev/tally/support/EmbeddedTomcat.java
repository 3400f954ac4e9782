package dev.tally.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;

/**
 * A real Tomcat in the test JVM with the packaged WAR at {@code /tally}: port 0 on localhost, a temporary base
 * directory, started and stopped by each test class. Users: {@code admin}/{@code admin-secret} with the role
 * {@code tally-admin}, and {@code viewer}/{@code viewer-secret} with no role.
 */
public final class EmbeddedTomcat implements ServletContainer {

    public static final String ADMIN = TallyServer.ADMIN;
    public static final String ADMIN_PASSWORD = TallyServer.ADMIN_PASSWORD;
    public static final String VIEWER = TallyServer.VIEWER;
    public static final String VIEWER_PASSWORD = TallyServer.VIEWER_PASSWORD;

    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;
    private final boolean ownBaseDir;
    private final Context context;

    private EmbeddedTomcat(Path base, Map<String, String> parameters, Customizer customizer) throws Exception {
        ownBaseDir = base == null;
        baseDir = ownBaseDir ? Files.createTempDirectory("tally-tomcat") : base;
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("localhost");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "localhost");
        // The body settings of tomcat-conf/server.xml's connector (see there).
        tomcat.getConnector().setProperty("disableUploadTimeout", "false");
        tomcat.getConnector().setProperty("connectionUploadTimeout", "5000");
        tomcat.getHost().getAppBaseFile().mkdirs();
        // As tomcat-conf/server.xml: what Tomcat answers itself shows no report, no stack trace and no version.
        ErrorReportValve errors = new ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errors);
        tomcat.addUser(ADMIN, ADMIN_PASSWORD);
        tomcat.addRole(ADMIN, "tally-admin");
        tomcat.addUser(VIEWER, VIEWER_PASSWORD);
        tomcat.addUser(TallyServer.SCRAPER, TallyServer.SCRAPER_PASSWORD);
        tomcat.addRole(TallyServer.SCRAPER, "tally-metrics");
        context = tomcat.addWebapp("/tally", ServletContainer.war().getAbsolutePath());
        // As a <Parameter> of the Tomcat context configuration: survives a reload, like tomcat-conf's.
        parameters.forEach((name, value) -> {
            ApplicationParameter parameter = new ApplicationParameter();
            parameter.setName(name);
            parameter.setValue(value);
            parameter.setOverride(false);
            context.addApplicationParameter(parameter);
        });
        customizer.customize(tomcat, context);
        try {
            tomcat.start();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Starts Tomcat with the WAR and its default settings. */
    public static EmbeddedTomcat start() throws Exception {
        return start(Map.of());
    }

    /** Starts Tomcat with the WAR and these context init-parameters (Tally settings for this deployment). */
    public static EmbeddedTomcat start(Map<String, String> parameters) throws Exception {
        return new EmbeddedTomcat(null, parameters, (tomcat, tally) -> { });
    }

    /** Starts Tomcat with the WAR and something more, such as another web application beside it. */
    public static EmbeddedTomcat start(Customizer customizer) throws Exception {
        return new EmbeddedTomcat(null, Map.of(), customizer);
    }

    /** Starts Tomcat with the WAR, these settings, and something more, such as a JNDI resource. */
    public static EmbeddedTomcat start(Map<String, String> parameters, Customizer customizer) throws Exception {
        return new EmbeddedTomcat(null, parameters, customizer);
    }

    /**
     * Starts Tomcat in {@code baseDir}, which it keeps when it stops (so that a restart finds what the last run
     * wrote there, such as persisted sessions), with these settings and something more.
     */
    public static EmbeddedTomcat startIn(Path baseDir, Map<String, String> parameters, Customizer customizer)
            throws Exception {
        return new EmbeddedTomcat(baseDir, parameters, customizer);
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public String origin() {
        return "http://localhost:" + port();
    }

    @Override
    public Set<String> tallyServletMappings() {
        Set<String> mappings = new TreeSet<>();
        for (String pattern : context.findServletMappings()) {
            Wrapper servlet = (Wrapper) context.findChild(context.findServletMapping(pattern));
            if (servlet.getServletClass().startsWith("dev.tally.")) {
                mappings.add(pattern);
            }
        }
        return mappings;
    }

    @Override
    public String serverInfo() {
        return ServerInfo.getServerInfo();
    }

    public Context tallyContext() {
        return context;
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            if (ownBaseDir) {
                deleteRecursively(baseDir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Adds to the Tomcat, or to Tally's context in it, before it starts. */
    @FunctionalInterface
    public interface Customizer {
        void customize(Tomcat tomcat, Context tally) throws Exception;
    }
}
