package dev.tally.request;

import dev.tally.web.ApiServlet;
import dev.tally.web.Json;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * {@code GET /api/request}: the request-scoped context of this very request, and how many request contexts the
 * application has opened and released so far.
 */
@WebServlet(value = "/api/request", asyncSupported = true)
public class RequestServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RequestContext context;
    @Inject
    transient RequestStats stats;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Traceparent trace = context.traceparent();
        Json.write(response, 200, new View(context.id(), context.method(), context.path(),
                context.startedAt().toString(), trace == null ? null : trace.header(),
                trace == null ? null : trace.traceId(),
                new Contexts(stats.openedCount(), stats.releasedCount())));
    }

    /** {@code traceparent} and {@code traceId} are null when the request came with no valid trace context. */
    record View(String id, String method, String path, String startedAt, String traceparent, String traceId,
            Contexts contexts) {
    }

    record Contexts(long opened, long released) {
    }
}
