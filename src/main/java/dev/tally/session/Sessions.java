package dev.tally.session;

import dev.tally.web.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/** Where a request that changes per-user state gets its session. */
public final class Sessions {

    private Sessions() {
    }

    /**
     * The caller's session, created if there is none. When the container refuses to create one because it holds as
     * many as it may (Tomcat's {@code maxActiveSessions}, see tomcat-conf/context.xml), the answer is 503
     * {@code TOO_MANY_SESSIONS} with {@code Retry-After}: the server is full, not broken.
     */
    public static HttpSession getOrCreate(HttpServletRequest request) {
        try {
            return request.getSession();
        } catch (IllegalStateException refused) {
            throw new ProblemException(503, "TOO_MANY_SESSIONS",
                    "The server holds as many sessions as it may; try again later.");
        }
    }
}
