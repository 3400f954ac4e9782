package dev.tally.home;

import dev.tally.cache.SharedCache;
import dev.tally.counter.Counters;
import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.request.RequestContext;
import dev.tally.session.Sessions;
import dev.tally.session.UserCounter;
import dev.tally.session.UserData;
import dev.tally.web.ApiServlet;
import dev.tally.web.SecurityHeaders;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * The page for browsers at the application's root: the four kinds of state (the global counter, the visitor's own
 * counter and data, this request's context, the shared cache), with buttons for the counters and a link to the API.
 *
 * <p>Without JavaScript the buttons are forms that POST here and are redirected back (POST/redirect/GET); with
 * JavaScript, {@code app.js} sends the same POSTs to the JSON API and updates the numbers in place. Showing the page
 * never creates a session. Errors and other methods are answered as on every API path ({@link ApiServlet}).
 */
@WebServlet(value = "", asyncSupported = true)
public class HomeServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    static final String GLOBAL_COUNTER = "global";
    /** The cache key of the time the page was first drawn, and how long the cache keeps it. */
    static final String DRAWN_KEY = "home.firstDrawn";
    static final long CACHED_SECONDS = 30;

    @Inject
    transient Sessions sessions;

    @Inject
    transient Counters counters;
    @Inject
    transient UserCounter userCounter;
    @Inject
    transient UserData userData;
    @Inject
    transient RequestContext context;
    @Inject
    transient SharedCache cache;

    /** GET shows the page, POST is its forms' target; any other method gets 405 with Allow, as everywhere. */
    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = sessions.resume(request);
        byte[] page = HomePage.render(new HomePage.State(counters.get(GLOBAL_COUNTER), userCounter.get(session),
                userData.keys(session), context.id(), context.startedAt(), firstDrawn(), CACHED_SECONDS))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        SecurityHeaders.page(response);
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    /**
     * When the page was first drawn, as the shared cache remembers it for {@value #CACHED_SECONDS} s: the cache's
     * read-through pattern (Flask-Caching's {@code @cached}). Two requests that both miss both write; either time is
     * right, and the cache keeps the last.
     */
    private Instant firstDrawn() {
        Optional<String> cached = cache.get(DRAWN_KEY);
        if (cached.isPresent() && cached.get().length() > 2) {
            try {
                return Instant.parse(cached.get().substring(1, cached.get().length() - 1));
            } catch (DateTimeParseException e) {
                // Someone wrote this key through the API: draw it anew.
            }
        }
        Instant now = Instant.now();
        cache.put(DRAWN_KEY, "\"" + now + "\"", Duration.ofSeconds(CACHED_SECONDS));
        return now;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        String action = request.getParameter("action");
        switch (action == null ? "" : action) {
            case "count" -> counters.increment(GLOBAL_COUNTER);
            case "inc" -> userCounter.add(sessions.resumeOrCreate(request), 1);
            case "dec" -> userCounter.add(sessions.resumeOrCreate(request), -1);
            case "reset" -> userCounter.reset(sessions.resumeOrCreate(request));
            default -> throw new InvalidInputException(Problem.INVALID_ACTION,
                    "action is one of count, inc, dec, reset.");
        }
        response.setStatus(303);
        response.setHeader("Location", request.getContextPath() + "/");
    }
}
