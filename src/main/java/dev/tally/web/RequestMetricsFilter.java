package dev.tally.web;

import dev.tally.ops.InFlight;
import dev.tally.ops.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request from the moment the container hands it to Tally to the end of its answer, into
 * {@code http.server.requests} (Prometheus: {@code http_server_requests_seconds}) by method, route, status and
 * outcome, and keeps it among the requests {@link InFlight}. First in the chain (web.xml), on the REQUEST dispatch
 * only; a request that goes asynchronous to read its body ({@link RequestBodyFilter}) is timed until its async
 * context completes.
 *
 * <p>Labels never carry what a client chose: the route is the servlet mapping's pattern ({@code /api/counters/*},
 * never a counter's name), an unknown method is {@code OTHER}. So the number of series is bounded by Tally's own
 * mappings, whatever is requested.
 */
public class RequestMetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE");

    private final transient ConcurrentMap<Route, Timer> timers = new ConcurrentHashMap<>();

    @Inject
    transient Metrics metrics;
    @Inject
    transient InFlight inFlight;
    /** The in-flight count itself, held rather than reached through the bean's client proxy on every request. */
    private transient InFlight.Requests requests;

    /**
     * What one series of the request timer is kept for. {@code equals} and {@code hashCode} are written out: the
     * generated ones of a record make the JDK's {@code ObjectMethods} keep a method handle typed with the record's
     * class in a static cache (Java 17), which kept this application's class loader after a reload ({@code ReloadIT}
     * found it through {@code ObjectMethods.OBJECT_EQ.asTypeCache}; see also {@code CoalescingSessionStore.Key}).
     */
    private record Route(String method, String uri, int status) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Route route && status == route.status && method.equals(route.method)
                    && uri.equals(route.uri);
        }

        @Override
        public int hashCode() {
            return (method.hashCode() * 31 + uri.hashCode()) * 31 + status;
        }
    }

    /** A request being timed: when it came, and whether its end is now an async listener's to record. */
    private final class Timing implements AsyncListener {
        private final long start = System.nanoTime();
        private final String method;
        private final String uri;
        private final HttpServletResponse response;

        Timing(HttpServletRequest request, HttpServletResponse response) {
            this.method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
            this.uri = route(request);
            this.response = response;
        }

        void end() {
            try {
                timer(new Route(method, uri, response.getStatus())).record(System.nanoTime() - start,
                        TimeUnit.NANOSECONDS);
            } finally {
                requests.end();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            end();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    @Override
    public void init() throws ServletException {
        if (inFlight != null) { // else CDI is off, and RequestIdFilter refuses to start with the reason
            requests = inFlight.tracker();
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Timing timing = new Timing(request, response);
        requests.begin();
        try {
            chain.doFilter(request, response);
        } finally {
            // A request that went asynchronous (RequestBodyFilter reading its body, or ending a refusal) ends when its
            // async context completes. Adding the listener here is in time: a complete() or dispatch() called before
            // this REQUEST dispatch returns to the container takes effect only after it has (AsyncContext's javadoc),
            // so isAsyncStarted() is still true and onComplete is still to come.
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(timing);
            } else {
                timing.end();
            }
        }
    }

    /** The mapping's pattern: {@code /api/counters/*}, {@code /} for the context root and the default servlet. */
    static String route(HttpServletRequest request) {
        String pattern = request.getHttpServletMapping().getPattern();
        return pattern == null || pattern.isEmpty() ? "/" : pattern;
    }

    private Timer timer(Route route) {
        Timer timer = timers.get(route);
        return timer != null ? timer : timers.computeIfAbsent(route, r -> Timer.builder("http.server.requests")
                .description("Requests served, from the first filter to the end of the answer")
                .tag("method", r.method())
                .tag("uri", r.uri())
                .tag("status", String.valueOf(r.status()))
                .tag("outcome", outcome(r.status()))
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
                .register(metrics.registry()));
    }

    /** As Micrometer's convention names a status class. */
    static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }
}
