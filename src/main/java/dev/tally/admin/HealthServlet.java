package dev.tally.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.ops.InFlight;
import dev.tally.session.StoreSessions;
import dev.tally.store.CacheStore;
import dev.tally.store.CounterStore;
import dev.tally.store.StoreUnavailableException;
import dev.tally.web.ApiServlet;
import dev.tally.web.Json;
import dev.tally.web.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Health, for load balancers, monitoring and Kubernetes probes:
 * <ul>
 *   <li>{@code GET /api/health}: 200 {@code {"status":"UP","store":"memory"}} when the stores answer, 503
 *       {@code {"status":"DOWN",...}} naming the store when one does not;</li>
 *   <li>{@code GET /api/health/live} (liveness): 200 {@code {"status":"UP"}} whenever the application answers at
 *       all; it never touches a store, so a store outage does not get every node restarted;</li>
 *   <li>{@code GET /api/health/ready} (readiness): as {@code /api/health}, and 503 with the detail "the application is
 *       stopping" from the moment the application begins to stop, so a balancer sends it no new request while those in
 *       flight finish.
 *   </li>
 * </ul>
 */
@WebServlet(value = {"/api/health", "/api/health/live", "/api/health/ready"}, asyncSupported = true)
public class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient CounterStore counters;
    @Inject
    transient CacheStore cache;
    @Inject
    transient StoreSessions sessions;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET");
    }

    @Inject
    transient InFlight inFlight;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        if (path.equals("/api/health/live")) {
            Json.write(response, 200, new Health("UP", null, null));
            return;
        }
        if (path.equals("/api/health/ready") && inFlight.isStopping()) {
            Problems.retryLater(response);
            Json.write(response, 503, new Health("DOWN", counters.kind(), "the application is stopping"));
            return;
        }
        String checking = "the " + counters.kind() + " store";
        try {
            counters.ping();
            cache.ping();
            checking = "the " + sessions.kind() + " session store";
            sessions.ping();
            Json.write(response, 200, new Health("UP", counters.kind(), null));
        } catch (StoreUnavailableException e) {
            Problems.retryLater(response);
            Json.write(response, 503, new Health("DOWN", counters.kind(), checking + " is not answering"));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, String store, String detail) {
    }
}
