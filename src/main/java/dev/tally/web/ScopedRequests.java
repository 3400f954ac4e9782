package dev.tally.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.jboss.weld.servlet.spi.HttpContextActivationFilter;

/**
 * Which requests Weld runs its HTTP contexts for (request, session, conversation: the request scope of
 * {@code GET /api/request} and of the page): every request but those served by the three hottest servlets, a
 * counter, the session counter and a cache entry, which use no request-scoped bean. That spares each of their
 * requests Weld's activation and end of three contexts (see docs/performance.md, "Where the time goes").
 *
 * <p>Weld finds it as a service ({@code META-INF/services/org.jboss.weld.bootstrap.api.Service}). It decides by the
 * servlet path the container mapped the request to, not by the raw URI as Weld's own
 * {@code org.jboss.weld.context.mapping} would: no URI, however encoded or dotted, reaches a servlet that needs the
 * scope without it. A bean of those three servlets that needed the request scope would fail with
 * {@code ContextNotActiveException}: take its servlet out of {@link #UNSCOPED} first.
 */
public class ScopedRequests implements HttpContextActivationFilter {

    /** The servlet paths of CounterServlet, SessionCounterServlet (both mappings) and CacheServlet. */
    static final Set<String> UNSCOPED = Set.of("/api/counters", "/api/session/counter", "/api/cache");

    /** Whether Weld runs the request scope for {@code request}. */
    public static boolean scoped(HttpServletRequest request) {
        return !UNSCOPED.contains(request.getServletPath());
    }

    @Override
    public boolean accepts(HttpServletRequest request) {
        return scoped(request);
    }

    @Override
    public void cleanup() {
    }
}
