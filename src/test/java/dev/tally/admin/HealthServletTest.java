package dev.tally.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ops.InFlight;
import dev.tally.store.MemoryBudget;
import dev.tally.store.MemoryCacheStore;
import dev.tally.store.MemoryCounterStore;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness from the moment the application begins to stop: over HTTP a stopping context is answered by its container
 * (Tomcat's 404, StopWhileServingIT), so what Tally says to a request already inside is checked here.
 */
class HealthServletTest {

    private final HealthServlet health = new HealthServlet();
    private final InFlight inFlight = new InFlight();

    HealthServletTest() {
        health.counters = new MemoryCounterStore(10, new MemoryBudget(1 << 20));
        health.cache = new MemoryCacheStore(10, 1 << 16);
        health.inFlight = inFlight;
    }

    @Test
    void readinessIsDownOnceStoppingWhileLivenessStaysUp() throws Exception {
        assertThat(get("/api/health/live")).isEqualTo("200 {\"status\":\"UP\"}\n");
        inFlight.stopping();

        assertThat(get("/api/health/ready")).isEqualTo("503 {\"status\":\"DOWN\",\"store\":\"memory\","
                + "\"detail\":\"the application is stopping\"}\n");
        assertThat(get("/api/health/live")).isEqualTo("200 {\"status\":\"UP\"}\n");
    }

    /** The status and body HealthServlet answers a GET of {@code path} with. */
    private String get(String path) throws Exception {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServletPath" -> path;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        Map<String, Object> status = new HashMap<>();
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> status.put("status", args[0]);
                    case "getOutputStream" -> out;
                    case "setContentType", "setHeader", "setIntHeader", "setContentLength" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        health.doGet(request, response);
        return status.get("status") + " " + body.toString(StandardCharsets.UTF_8);
    }
}
