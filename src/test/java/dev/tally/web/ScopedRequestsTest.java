package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which requests Weld runs the request scope for, and that Weld can find the rule. */
class ScopedRequestsTest {

    private final ScopedRequests rule = new ScopedRequests();

    @Test
    void everyServletButTheThreeHottestGetsTheScope() {
        for (String path : new String[] {"/api/counters", "/api/session/counter", "/api/cache"}) {
            assertThat(rule.accepts(mappedTo(path))).as(path).isFalse();
        }
        for (String path : new String[] {"/api/request", "", "/", "/api/health", "/api/session/data", "/api",
            "/api/counters/x", "/api/cache/extra"}) {
            assertThat(rule.accepts(mappedTo(path))).as(path).isTrue();
        }
    }

    @Test
    void weldFindsItAsAService() throws IOException {
        Path services = Path.of("src/main/resources/META-INF/services/org.jboss.weld.bootstrap.api.Service");
        assertThat(Files.readAllLines(services)).containsExactly(ScopedRequests.class.getName());
    }

    /** A request the container mapped to a servlet whose path is {@code servletPath}. */
    private static HttpServletRequest mappedTo(String servletPath) {
        return (HttpServletRequest) Proxy.newProxyInstance(ScopedRequestsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getServletPath")) {
                        return servletPath;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
