package dev.tally.session;

import dev.tally.web.ApiServlet;
import dev.tally.web.Json;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The visitor's own counter: {@code GET /api/session/counter} reads it (and never creates a session);
 * {@code POST /api/session/counter/inc}, {@code /dec} and {@code /reset} change it (creating the session if needed).
 *
 * <p>Two servlets, one a path, because a container derives the {@code Allow} of the answers it gives itself (a
 * refused TRACE) from the {@code doXxx} methods a servlet overrides: one servlet for both paths would claim
 * {@code POST} for the reading path and {@code GET} for the changing ones.
 */
@WebServlet(value = "/api/session/counter", asyncSupported = true)
public class SessionCounterServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Sessions sessions;

    @Inject
    transient UserCounter counter;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.writeRaw(response, value(counter.get(sessions.resume(request))));
    }

    /** {@code {"value":N}}, written as text: it costs no JSON generator. */
    private static String value(long value) {
        return "{\"value\":" + value + "}";
    }

    /** {@code POST /api/session/counter/inc}, {@code /dec} and {@code /reset}. */
    @WebServlet(value = "/api/session/counter/*", asyncSupported = true)
    public static class Actions extends ApiServlet {

        private static final long serialVersionUID = 1L;

        @Inject
        transient Sessions sessions;

        @Inject
        transient UserCounter counter;

        @Override
        protected Set<String> methods(HttpServletRequest request) {
            return switch (String.valueOf(request.getPathInfo())) {
                case "/inc", "/dec", "/reset" -> Set.of("POST");
                default -> Set.of();
            };
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long value = switch (request.getPathInfo()) {
                case "/inc" -> counter.add(sessions.resumeOrCreate(request), 1);
                case "/dec" -> counter.add(sessions.resumeOrCreate(request), -1);
                default -> counter.reset(sessions.resumeOrCreate(request));
            };
            Json.writeRaw(response, value(value));
        }
    }
}
