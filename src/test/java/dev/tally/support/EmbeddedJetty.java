package dev.tally.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;

/**
 * Jetty 12 (ee10) in the test JVM with the packaged WAR at {@code /tally}, configured by the shipped context file
 * {@code src/main/jetty/tally.xml} as a standalone Jetty with the {@code ee10-deploy} and {@code ee10-cdi} modules
 * applies it: CDI's initializer first, CDI decorating the objects Jetty creates ({@code CdiDecoratingListener}
 * mode), and the realm Tally from a realm file, here one with the same users as {@link EmbeddedTomcat}. Port 0 on
 * localhost, and a temporary directory for the unpacked WAR.
 */
public final class EmbeddedJetty implements ServletContainer {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final WebAppContext webapp = new WebAppContext();
    private final Path tempDir;
    private final Path realm;
    /** The context file an operator copies beside the WAR. */
    private static final Path CONTEXT_XML = Path.of("src/main/jetty/tally.xml").toAbsolutePath();

    private EmbeddedJetty(Map<String, String> parameters) throws Exception {
        tempDir = Files.createTempDirectory("tally-jetty");
        connector.setHost("localhost");
        connector.setPort(0);
        server.addConnector(connector);

        // The shipped context file, applied as a Jetty base applies it: CDI's mode, and the realm "Tally" from a
        // realm file, here one with the test users (tally.xml takes its path from this system property).
        // Not in tempDir, which Jetty empties as the WAR is unpacked.
        realm = Files.createTempFile("tally-realm", ".properties");
        Files.writeString(realm, TallyServer.ADMIN + ": " + TallyServer.ADMIN_PASSWORD + ",tally-admin\n"
                + TallyServer.VIEWER + ": " + TallyServer.VIEWER_PASSWORD + "\n"
                + TallyServer.SCRAPER + ": " + TallyServer.SCRAPER_PASSWORD + ",tally-metrics\n");
        String before = System.setProperty("tally.realm.file", realm.toString());
        try {
            new XmlConfiguration(ResourceFactory.of(server).newResource(CONTEXT_XML)).configure(webapp);
        } finally {
            if (before == null) {
                System.clearProperty("tally.realm.file");
            } else {
                System.setProperty("tally.realm.file", before);
            }
        }
        webapp.setContextPath("/tally");
        webapp.setWar(ServletContainer.war().getAbsolutePath());
        webapp.setTempDirectory(tempDir.toFile());
        parameters.forEach(webapp::setInitParameter);
        server.setHandler(webapp);
        try {
            server.start();
            if (webapp.getUnavailableException() != null || !webapp.isAvailable()) {
                throw new IllegalStateException("Tally did not start on Jetty", webapp.getUnavailableException());
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Starts Jetty with the WAR and these context init-parameters (Tally settings for this deployment). */
    public static EmbeddedJetty start(Map<String, String> parameters) throws Exception {
        return new EmbeddedJetty(parameters);
    }

    @Override
    public String origin() {
        return "http://localhost:" + connector.getLocalPort();
    }

    @Override
    public Set<String> tallyServletMappings() {
        ServletHandler handler = webapp.getServletHandler();
        Set<String> mappings = new TreeSet<>();
        for (ServletMapping mapping : handler.getServletMappings()) {
            if (handler.getServlet(mapping.getServletName()).getClassName().startsWith("dev.tally.")) {
                mappings.addAll(Arrays.asList(mapping.getPathSpecs()));
            }
        }
        return mappings;
    }

    @Override
    public String serverInfo() {
        return "Jetty/" + Server.getVersion();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            Files.deleteIfExists(realm);
            if (Files.exists(tempDir)) {
                try (Stream<Path> paths = Files.walk(tempDir)) {
                    paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }
}
