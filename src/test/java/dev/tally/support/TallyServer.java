package dev.tally.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged WAR in a servlet container, started before the first test of a class and stopped after the last:
 * {@code @RegisterExtension static final TallyServer tally = new TallyServer();}
 *
 * <p>The container is an embedded Tomcat unless the system property {@code tally.container} says {@code jetty}; which
 * Tomcat (10.1 or 11) is whichever is on the class path. The suites written against this class are the portability
 * suite: they are named {@code *PortableIT}, which is how the Failsafe executions {@code tomcat11} and {@code jetty12}
 * select them (and this class refuses to serve a test class named otherwise, so none is left out). Each class prints
 * the container it ran on.
 */
public final class TallyServer implements BeforeAllCallback, AfterAllCallback {

    /** How the portable suites are named, and found by pom.xml. */
    static final String SUFFIX = "PortableIT";
    /** The user with the role tally-admin, and its password, in every container the tests start. */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    /** A user without that role. */
    public static final String VIEWER = "viewer";
    public static final String VIEWER_PASSWORD = "viewer-secret";
    /** A user with only the role tally-metrics: a Prometheus scraper. */
    public static final String SCRAPER = "scraper";
    public static final String SCRAPER_PASSWORD = "scraper-secret";

    private final Map<String, String> settings;
    private ServletContainer container;

    /** With Tally's default settings. */
    public TallyServer() {
        this(Map.of());
    }

    /** With these Tally settings, given as context parameters. */
    public TallyServer(Map<String, String> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String suite = context.getRequiredTestClass().getSimpleName();
        if (!suite.endsWith(SUFFIX)) {
            throw new IllegalStateException(suite + " runs the WAR through TallyServer, so it is a portable suite: name"
                    + " it *" + SUFFIX + " so that the Tomcat 11 and Jetty 12 runs select it (pom.xml)");
        }
        Map<String, String> effective = settings;
        if (TestServers.highlyAvailableRedis() && !settings.containsKey("tally.store")) {
            // The redis-sentinel and redis-cluster executions: the suites that would use the memory store run on it.
            effective = new HashMap<>(settings);
            effective.put("tally.store", TestServers.redisUrl(suite));
        }
        container = System.getProperty("tally.container", "tomcat").equals("jetty") ? EmbeddedJetty.start(effective)
                : EmbeddedTomcat.start(effective);
        System.out.println(context.getDisplayName() + ": on " + container.serverInfo());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (container != null) {
            container.close();
        }
    }

    /** {@code http://localhost:PORT/tally} */
    public String base() {
        return container.base();
    }

    /** {@code http://localhost:PORT} */
    public String origin() {
        return container.origin();
    }

    /**
     * Sends only the headers of a request declaring a JSON body of {@code length} bytes, over a socket of its own,
     * and reads the answer (as text) without sending the body: for refusals that come as soon as the headers do.
     */
    public String headersOnly(String method, String path, int length) {
        URI origin = URI.create(origin());
        try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((method + " " + URI.create(base()).getPath() + path + " HTTP/1.1\r\n"
                    + "Host: " + origin.getAuthority() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) != -1) {
                head.append((char) c);
            }
            String declared = head.toString().toLowerCase().replaceAll("(?s).*content-length: *(\\d+).*", "$1");
            int bodyLength = declared.matches("\\d+") ? Integer.parseInt(declared) : 0;
            return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL patterns of the WAR's own servlets, as the container mapped them. */
    public Set<String> servletMappings() {
        return container.tallyServletMappings();
    }

    /** Whether this run is on Jetty 12 (for the few answers Jetty gives itself, before the application). */
    public boolean isJetty() {
        return container instanceof EmbeddedJetty;
    }

    /** A client that keeps no cookies, like curl. */
    public Http curl() {
        return Http.withoutCookies(base());
    }

    /** A client with its own cookie jar, like a browser. */
    public Http browser() {
        return Http.withCookies(base());
    }
}
