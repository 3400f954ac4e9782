package dev.tally.web;

import dev.tally.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses state-changing requests from other sites with 403 {@code CROSS_ORIGIN}, before any servlet sees them:
 * a page on another site cannot make a visitor's browser increment, reset or write anything. Mapped in web.xml to
 * every path, so a new endpoint cannot be forgotten.
 */
public class CrossOriginFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (CrossOrigin.refused(request.getMethod(), request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Origin"), request.getHeader("Host"))) {
            Problems.write(response, Problem.CROSS_ORIGIN,
                    "State-changing requests from another site are refused.");
            return;
        }
        chain.doFilter(request, response);
    }
}
