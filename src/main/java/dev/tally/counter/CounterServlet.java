package dev.tally.counter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.web.AdminLogin;
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
 * {@code /api/counters/{name}}: POST increments, GET reads, PUT raises to a value and DELETE resets. PUT and DELETE
 * need the role {@code tally-admin}, checked here with the container's realm ({@link AdminLogin}).
 */
@WebServlet(value = "/api/counters/*", asyncSupported = true)
public class CounterServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final int MAX_BODY_BYTES = 1024;

    @Inject
    transient Counters counters;
    @Inject
    transient JsonBodies bodies;
    @Inject
    transient AdminLogin admin;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return METHODS;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = name(request);
        answer(response, name, counters.increment(name));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = name(request);
        answer(response, name, counters.get(name));
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        admin.require(request, response);
        String name = name(request);
        JsonNode value = bodies.readTree(request, MAX_BODY_BYTES).get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInputException(Problem.INVALID_VALUE, "Send {\"value\": N}, N a whole number from 0 to "
                    + Long.MAX_VALUE + ".");
        }
        answer(response, name, counters.advanceTo(name, value.longValue()));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        admin.require(request, response);
        counters.reset(name(request));
        response.setStatus(204);
    }

    private static String name(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path.substring(1);
    }

    /**
     * {@code {"name":...,"value":N}}, written as text: the answer of every request, so it costs no JSON generator. A
     * name that reached here is valid ([A-Za-z0-9._-]), which JSON needs no escape for.
     */
    private static void answer(HttpServletResponse response, String name, long value) throws IOException {
        Json.writeRaw(response, "{\"name\":\"" + name + "\",\"value\":" + value + "}");
    }
}
