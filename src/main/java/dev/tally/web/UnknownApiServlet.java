package dev.tally.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Every {@code /api/...} path no other servlet claims: 404 {@code NOT_FOUND} as a problem, whatever the method.
 */
@WebServlet(value = "/api/*", asyncSupported = true)
public class UnknownApiServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of();
    }
}
