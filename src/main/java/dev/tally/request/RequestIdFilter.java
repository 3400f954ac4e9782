package dev.tally.request;

import dev.tally.ops.CurrentRequest;
import dev.tally.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gives every request its id and puts it on the response as {@code X-Request-Id}: the caller's own when it is a valid
 * id, a fresh random one otherwise. Early in the filter chain (web.xml), so every response carries the header, errors
 * included; an error or ASYNC dispatch of the same request keeps the same id. A request with a body comes here once its
 * body has arrived, on the ASYNC dispatch (see RequestBodyFilter). A valid W3C {@code traceparent} the request came
 * with ({@link Traceparent}) is kept in its context and returned on the response, so that an access log writes it
 * beside the id; an invalid one is ignored, never echoed.
 *
 * <p>It creates no request-scoped bean: the request's {@link RequestContext} is created only if something in the
 * request uses it, from the request this filter makes known to the thread while it goes through the chain ({@link
 * CurrentRequest#enter}). A request that never reads its context (a counter increment) costs no bean, no lifecycle
 * callbacks and no destruction.
 */
public class RequestIdFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String HEADER = RequestIds.HEADER;

    @Inject
    transient RequestStats stats;

    /**
     * Refuses to start without CDI: on a container that does not inject (a Jetty without its {@code ee10-cdi} and
     * {@code ee10-annotations} modules), Tally would otherwise deploy and then fail every request.
     */
    @Override
    public void init() throws ServletException {
        if (stats == null) {
            throw new UnavailableException("CDI is not active in this web application, so nothing was injected."
                    + " On Jetty 12, enable the ee10-annotations and ee10-cdi modules.");
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = CurrentRequest.idOf(request);
        if (id == null) {
            id = RequestIds.choose(request);
            CurrentRequest.identify(request, id);
            RequestContext.trace(request, Traceparent.of(request));
        }
        RequestIds.stamp(response, id);
        Traceparent traceparent = RequestContext.traceOf(request);
        if (traceparent != null) {
            response.setHeader(Traceparent.HEADER, traceparent.header());
        }
        HttpServletRequest outer = CurrentRequest.enter(request);
        try {
            chain.doFilter(request, response);
        } finally {
            CurrentRequest.leave(outer);
        }
    }
}
