package dev.tally.session;

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
import java.util.Set;

/**
 * The visitor's structured data: {@code PUT /api/session/data/{key}} stores any JSON value, {@code GET} answers it
 * as stored, {@code DELETE} removes it. Only PUT creates a session.
 */
@WebServlet(value = "/api/session/data/*", asyncSupported = true)
public class SessionDataServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Sessions sessions;

    @Inject
    transient UserData data;
    @Inject
    transient JsonBodies bodies;
    @Inject
    transient TallyConfig config;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET", "PUT", "DELETE");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = Keys.fromPath(request.getPathInfo());
        String json = data.get(sessions.resume(request), key)
                .orElseThrow(() -> new NotFoundException(
                        "This session holds no value under that key."));
        Json.writeRaw(response, json);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = Keys.fromPath(request.getPathInfo());
        String json = bodies.readValue(request, config.sessionMaxValueBytes());
        data.put(sessions.resumeOrCreate(request), key, json);
        response.setStatus(204);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        data.delete(sessions.resume(request), Keys.fromPath(request.getPathInfo()));
        response.setStatus(204);
    }
}
