package dev.tally.support;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged WAR in an {@link EmbeddedTomcat}, started before the first test of a class and stopped after the
 * last: {@code @RegisterExtension static final TallyServer tally = new TallyServer();}
 */
public final class TallyServer implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private EmbeddedTomcat tomcat;

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
        tomcat = EmbeddedTomcat.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    public EmbeddedTomcat tomcat() {
        return tomcat;
    }

    /** {@code http://localhost:PORT/tally} */
    public String base() {
        return tomcat.base();
    }

    /** {@code http://localhost:PORT} */
    public String origin() {
        return tomcat.origin();
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
