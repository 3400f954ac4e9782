package dev.tally.session;

import dev.tally.store.MemoryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much Tally state this node's sessions hold, for the admin console: the sessions with a per-user counter, the
 * sessions with structured data, and their data keys. Kept up to date by the container's events, never by scanning
 * sessions: {@link SessionStatsListener} reports values set, replaced and removed (which includes sessions that
 * expire or are invalidated), and the values themselves report being passivated and activated (a session written
 * out by a persistent manager, or read back after a restart), which the container announces to no other listener.
 */
@ApplicationScoped
public class SessionStats {

    private static final String ATTRIBUTE = SessionStats.class.getName();

    private final LongAdder sessionsWithCounter = new LongAdder();
    private final LongAdder sessionsWithData = new LongAdder();
    private final LongAdder dataKeys = new LongAdder();
    private final LongAdder containerCreated = new LongAdder();
    private final LongAdder containerExpired = new LongAdder();
    private final LongAdder containerInvalidated = new LongAdder();

    @Inject
    MemoryBudget budget;

    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        // For the session values, which the container creates by deserializing, not through CDI.
        context.setAttribute(ATTRIBUTE, this);
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
    }

    /** The tally of the application this session belongs to, or null while that application is not running. */
    static SessionStats of(HttpSession session) {
        return session.getServletContext().getAttribute(ATTRIBUTE) instanceof SessionStats stats ? stats : null;
    }

    /** Sessions on this node holding a per-user counter. */
    public long sessionsWithCounter() {
        return sessionsWithCounter.sum();
    }

    /** Sessions on this node holding structured data. */
    public long sessionsWithData() {
        return sessionsWithData.sum();
    }

    /** Keys of structured data held by all sessions on this node. */
    public long dataKeys() {
        return dataKeys.sum();
    }

    /** Container sessions created on this node since the application started. */
    public long containerCreated() {
        return containerCreated.sum();
    }

    /** Container sessions on this node that ended because they stayed idle past their timeout. */
    public long containerExpired() {
        return containerExpired.sum();
    }

    /** Container sessions on this node ended by the application (a logout, a new id) rather than by time. */
    public long containerInvalidated() {
        return containerInvalidated.sum();
    }

    void created() {
        containerCreated.increment();
    }

    /** A container session ended: by its timeout when it was idle that long, else by the application. */
    void destroyed(HttpSession session) {
        boolean expired;
        try {
            long idleMillis = System.currentTimeMillis() - session.getLastAccessedTime();
            int timeout = session.getMaxInactiveInterval();
            expired = timeout > 0 && idleMillis >= timeout * 1000L;
        } catch (IllegalStateException alreadyInvalid) {
            expired = false;
        }
        (expired ? containerExpired : containerInvalidated).increment();
    }

    /** A Tally value entered a session on this node. Other values are not Tally's and are ignored. */
    void added(Object value) {
        if (value instanceof SessionValue tallys) {
            budget.add(tallys.bytes());
        }
        if (value instanceof SessionCount) {
            sessionsWithCounter.increment();
        } else if (value instanceof SessionData data) {
            sessionsWithData.increment();
            dataKeys.add(data.size());
        }
    }

    /** A Tally value left a session on this node. */
    void removed(Object value) {
        if (value instanceof SessionValue tallys) {
            budget.release(tallys.bytes());
        }
        if (value instanceof SessionCount) {
            sessionsWithCounter.decrement();
        } else if (value instanceof SessionData data) {
            sessionsWithData.decrement();
            dataKeys.add(-data.size());
        }
    }

    /**
     * A Tally value replaced by one of the same kind (every counter increment, every data write): only what changed
     * is charged, so that the budget's one shared number is not written twice on every request (releasing and
     * charging the same bytes made both cores fight for it: 3 to 4 % of a session counter's samples).
     */
    void replaced(Object old, Object current) {
        if (old instanceof SessionCount && current instanceof SessionCount) {
            return;
        }
        if (old instanceof SessionData before && current instanceof SessionData after) {
            long change = after.bytes() - before.bytes();
            if (change > 0) {
                budget.add(change);
            } else if (change < 0) {
                budget.release(-change);
            }
            if (after.size() != before.size()) {
                dataKeys.add(after.size() - before.size());
            }
            return;
        }
        removed(old);
        added(current);
    }
}
