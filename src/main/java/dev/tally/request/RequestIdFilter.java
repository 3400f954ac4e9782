package dev.tally.request;

import dev.tally.web.RequestIds;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sets up the request context of every request and puts its id on the response as {@code X-Request-Id}: the
 * caller's own when it is a valid id, a fresh random one otherwise. Early in the filter chain (web.xml), so every
 * response carries the header, errors included; an error dispatch of the same request keeps the same id. A request
 * with a body comes here once its body has arrived, on the ASYNC dispatch (see RequestBodyFilter), so its request
 * scope begins where it is served.
 */
public class RequestIdFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String HEADER = RequestIds.HEADER;
    private static final String ID_ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    @Inject
    transient RequestContext context;

    /**
     * Refuses to start without CDI: on a container that does not inject (a Jetty without its {@code ee10-cdi} and
     * {@code ee10-annotations} modules), Tally would otherwise deploy and then fail every request.
     */
    @Override
    public void init() throws ServletException {
        if (context == null) {
            throw new UnavailableException("CDI is not active in this web application, so nothing was injected."
                    + " On Jetty 12, enable the ee10-annotations and ee10-cdi modules.");
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id;
        try {
            if (context.id() == null) {
                context.begin(RequestIds.choose(request), request.getMethod(),
                        request.getRequestURI().substring(request.getContextPath().length()));
                request.setAttribute(ID_ATTRIBUTE, context.id());
            }
            id = context.id();
        } catch (ContextNotActiveException ended) {
            // Tomcat renders the error page of a request that went asynchronous after the request has ended, and
            // with it its scope: the page gets the id the request had, and no context.
            id = request.getAttribute(ID_ATTRIBUTE) instanceof String known ? known : RequestIds.choose(request);
        }
        RequestIds.stamp(response, id);
        chain.doFilter(request, response);
    }
}
