package dev.tally.home;

import dev.tally.counter.Counters;
import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.session.UserCounter;
import dev.tally.session.Sessions;
import dev.tally.web.ApiServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The page for browsers at the application's root: the global counter and the visitor's own, with buttons.
 *
 * <p>Without JavaScript the buttons are forms that POST here and are redirected back (POST/redirect/GET); with
 * JavaScript, {@code app.js} sends the same POSTs to the JSON API and updates the numbers in place. Showing the page
 * never creates a session. Errors and other methods are answered as on every API path ({@link ApiServlet}).
 */
@WebServlet(value = "", asyncSupported = true)
public class HomeServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    static final String GLOBAL_COUNTER = "global";

    @Inject
    transient Sessions sessions;

    @Inject
    transient Counters counters;
    @Inject
    transient UserCounter userCounter;

    /** GET shows the page, POST is its forms' target; any other method gets 405 with Allow, as everywhere. */
    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] page = HomePage.render(counters.get(GLOBAL_COUNTER), userCounter.get(sessions.resume(request)))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy",
                "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        String action = request.getParameter("action");
        switch (action == null ? "" : action) {
            case "count" -> counters.increment(GLOBAL_COUNTER);
            case "inc" -> userCounter.add(sessions.resumeOrCreate(request), 1);
            case "dec" -> userCounter.add(sessions.resumeOrCreate(request), -1);
            case "reset" -> userCounter.reset(sessions.resumeOrCreate(request));
            default -> throw new InvalidInputException(Problem.INVALID_ACTION, "action is one of count, inc, dec, reset.");
        }
        response.setStatus(303);
        response.setHeader("Location", request.getContextPath() + "/");
    }
}
