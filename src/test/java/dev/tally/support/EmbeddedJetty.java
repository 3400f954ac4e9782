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
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;

/**
 * Jetty 12 (ee10) in the test JVM with the packaged WAR at {@code /tally}, set up as a standalone Jetty with the
 * {@code ee10-deploy} and {@code ee10-cdi} modules runs it: CDI's initializer first, CDI decorating the objects
 * Jetty creates ({@code CdiDecoratingListener} mode). Port 0 on localhost, a temporary directory for the unpacked
 * WAR, and the same users as {@link EmbeddedTomcat} in a login service named after the WAR's realm, Tally.
 */
public final class EmbeddedJetty implements ServletContainer {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final WebAppContext webapp = new WebAppContext();
    private final Path tempDir;

    private EmbeddedJetty(Map<String, String> parameters) throws Exception {
        tempDir = Files.createTempDirectory("tally-jetty");
        connector.setHost("localhost");
        connector.setPort(0);
        server.addConnector(connector);

        UserStore users = new UserStore();
        users.addUser(TallyServer.ADMIN, Credential.getCredential(TallyServer.ADMIN_PASSWORD),
                new String[] {"tally-admin"});
        users.addUser(TallyServer.VIEWER, Credential.getCredential(TallyServer.VIEWER_PASSWORD),
                new String[0]);
        HashLoginService realm = new HashLoginService("Tally");
        realm.setUserStore(users);
        server.addBean(realm);

        webapp.setContextPath("/tally");
        webapp.setWar(ServletContainer.war().getAbsolutePath());
        webapp.setTempDirectory(tempDir.toFile());
        webapp.setAttribute("org.eclipse.jetty.containerInitializerOrder",
                "org.eclipse.jetty.ee10.cdi.CdiServletContainerInitializer, *");
        webapp.setInitParameter("org.eclipse.jetty.cdi", "CdiDecoratingListener");
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
            if (Files.exists(tempDir)) {
                try (Stream<Path> paths = Files.walk(tempDir)) {
                    paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }
}
