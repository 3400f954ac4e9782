package dev.tally.request;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sets up the request context of every request and puts its id on the response as {@code X-Request-Id}: the
 * caller's own when it is a valid id, a fresh random one otherwise. First in the filter chain (web.xml), so every
 * response carries the header, errors included; an error dispatch of the same request keeps the same id.
 */
public class RequestIdFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

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
        if (context.id() == null) {
            String id = request.getHeader(HEADER);
            if (id == null || !VALID_ID.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
            }
            context.begin(id, request.getMethod(),
                    request.getRequestURI().substring(request.getContextPath().length()));
        }
        response.setHeader(HEADER, context.id());
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, response);
    }
}
