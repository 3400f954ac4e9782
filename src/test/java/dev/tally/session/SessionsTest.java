package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Settings;
import dev.tally.config.TallyConfig;
import dev.tally.support.FakeSession;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Sessions}: a new session gets the short {@code tally.session.newTimeout}, a session its client came back
 * with gets the container's full timeout, and a container that refuses a new session is a 503, not a 500.
 */
class SessionsTest {

    private static final int NEW_TIMEOUT = 120;
    private static final int CONTAINER_MINUTES = 30;

    private final TallyConfig config = TallyConfig.from(new Settings(name -> null, name -> null, Map.of()));
    private final Sessions sessions = new Sessions(config);

    @Test
    void aNewSessionGetsTheShortTimeout() {
        FakeSession created = new FakeSession("new");
        HttpSession session = sessions.resumeOrCreate(request(null, created, false));
        assertThat(session).isSameAs(created);
        assertThat(session.getMaxInactiveInterval()).isEqualTo(NEW_TIMEOUT);
    }

    @Test
    void aSessionItsClientCameBackWithGetsTheFullTimeout() {
        FakeSession returning = new FakeSession("returning");
        returning.setMaxInactiveInterval(NEW_TIMEOUT);
        assertThat(sessions.resume(request(returning, null, true))).isSameAs(returning);
        assertThat(returning.getMaxInactiveInterval()).isEqualTo(CONTAINER_MINUTES * 60);
    }

    @Test
    void aSessionTheClientDidNotNameKeepsItsTimeout() {
        // The request created it a moment ago (an earlier filter), or its id arrived invalid: not a return.
        FakeSession fresh = new FakeSession("fresh");
        fresh.setMaxInactiveInterval(NEW_TIMEOUT);
        assertThat(sessions.resume(request(fresh, null, false))).isSameAs(fresh);
        assertThat(fresh.getMaxInactiveInterval()).isEqualTo(NEW_TIMEOUT);
    }

    @Test
    void noSessionIsCreatedByResumingAndAFullContainerIsTooManySessions() {
        assertThat(sessions.resume(request(null, null, false))).isNull();
        assertThatThrownBy(() -> sessions.resumeOrCreate(request(null, null, false)))
                .isInstanceOf(TooManySessionsException.class);
    }

    /**
     * A request with {@code existing} as its session (or none), that creates {@code created} when asked to (or, when
     * null, is refused as Tomcat refuses past maxActiveSessions).
     */
    private static HttpServletRequest request(HttpSession existing, HttpSession created, boolean idFromClient) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(SessionsTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSessionTimeout" -> CONTAINER_MINUTES;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (HttpServletRequest) Proxy.newProxyInstance(SessionsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSession" -> {
                        boolean create = args == null || (Boolean) args[0];
                        if (existing != null || !create) {
                            yield existing;
                        }
                        if (created == null) {
                            throw new IllegalStateException("maxActiveSessions reached");
                        }
                        yield created;
                    }
                    case "isRequestedSessionIdValid" -> idFromClient;
                    case "getServletContext" -> context;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
