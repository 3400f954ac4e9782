package dev.tally.session;

import dev.tally.config.TallyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Where every request gets its session: the only place in Tally that calls {@code getSession}.
 *
 * <p>Tally's visitors are anonymous, and a client that never sends its cookie back (a crawler, a script, a flood)
 * makes a new session on every state-changing request. So a session starts with a short idle timeout,
 * {@code tally.session.newTimeout}, and gets the container's full {@code session-timeout} (web.xml) only once the
 * client has come back with the id it was given: sessions nobody returns to are gone within seconds or minutes, not
 * half an hour, and free their place under the container's session cap.
 */
@ApplicationScoped
public class Sessions {

    private final int newTimeoutSeconds;
    /** Whether sessions live in the store (tally.session.store); read once. */
    private final boolean inStore;

    @Inject
    public Sessions(TallyConfig config) {
        this.newTimeoutSeconds = config.sessionNewTimeoutSeconds();
        this.inStore = config.sessionsInStore();
    }

    /** Needed by CDI for the client proxy. */
    protected Sessions() {
        this.newTimeoutSeconds = 0;
        this.inStore = false;
    }

    /**
     * The caller's session, created if there is none. When the container refuses to create one because it holds as
     * many as it may (Tomcat's {@code maxActiveSessions}, see tomcat-conf/context.xml), the answer is 503
     * {@code TOO_MANY_SESSIONS} with {@code Retry-After}: the server is full, not broken.
     */
    public HttpSession resumeOrCreate(HttpServletRequest request) {
        if (inStore) {
            // Held in the store: the session is looked up by the change the caller makes next, in the same store
            // operation (StoreHttpSession), and created by the store with tally.session.newTimeout.
            return request.getSession(true);
        }
        HttpSession existing = resume(request);
        if (existing != null) {
            return existing;
        }
        HttpSession created;
        try {
            created = request.getSession();
        } catch (IllegalStateException refused) {
            throw new TooManySessionsException();
        }
        if (created.getMaxInactiveInterval() > newTimeoutSeconds || created.getMaxInactiveInterval() <= 0) {
            created.setMaxInactiveInterval(newTimeoutSeconds);
        }
        return created;
    }

    /**
     * The caller's session if it has one, else {@code null}; never creates one. Resuming is not only reading: a
     * session the client has come back with (its id arrived with the request) is promoted from
     * {@code tally.session.newTimeout} to the container's full idle timeout, here and nowhere else.
     */
    public HttpSession resume(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || session instanceof StoreHttpSession) {
            return session;
        }
        int current = session.getMaxInactiveInterval();
        if (current <= 0) {
            return session;
        }
        int full = request.getServletContext().getSessionTimeout() * 60;
        // Asked last, and only of a session not yet promoted: Tomcat answers it by entering the application's
        // class loader, the dearest of these checks, and a returning client's later requests need none of them.
        if ((full <= 0 || current < full) && request.isRequestedSessionIdValid()) {
            session.setMaxInactiveInterval(full);
        }
        return session;
    }
}
