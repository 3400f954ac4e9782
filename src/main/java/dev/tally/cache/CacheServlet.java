package dev.tally.cache;

import dev.tally.config.TallyConfig;
import dev.tally.problem.NotFoundException;
import dev.tally.store.Keys;
import dev.tally.web.ApiServlet;
import dev.tally.web.Json;
import dev.tally.web.JsonBodies;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * {@code /api/cache/{key}[?ttl=SECONDS]}: PUT stores any JSON value, GET answers it until it expires, DELETE
 * removes it.
 */
@WebServlet(value = "/api/cache/*", asyncSupported = true)
public class CacheServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> METHODS = Set.of("GET", "PUT", "DELETE");

    @Inject
    transient SharedCache cache;
    @Inject
    transient JsonBodies bodies;
    @Inject
    transient TallyConfig config;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return METHODS;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String json = cache.get(key(request))
                .orElseThrow(() -> new NotFoundException("No value under that key, or it expired."));
        Json.writeRaw(response, json);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = key(request);
        Duration ttl = cache.ttl(request.getParameter("ttl"));
        cache.put(key, bodies.readValue(request, config.cacheMaxValueBytes()), ttl);
        response.setStatus(204);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        cache.delete(key(request));
        response.setStatus(204);
    }

    private static String key(HttpServletRequest request) {
        return Keys.fromPath(request.getPathInfo());
    }
}
