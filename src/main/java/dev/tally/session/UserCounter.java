package dev.tally.session;

import dev.tally.store.CounterExhaustedException;
import dev.tally.store.MemoryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;

/**
 * The per-user counter, like Flask's {@code session['counter'] += 1} but safe when one user's requests run at once:
 * every change reads, computes and writes back under the session's lock.
 */
@ApplicationScoped
public class UserCounter {

    @Inject
    SessionLocks locks;
    @Inject
    MemoryBudget budget;

    /** The counter of this session; 0 without a session. Reading never creates one. */
    public long get(HttpSession session) {
        if (session == null) {
            return 0;
        }
        return current(session);
    }

    /** Adds {@code delta} and returns the new value; refuses to go past the range of a long. */
    public long add(HttpSession session, long delta) {
        return locks.update(session, () -> {
            long value;
            try {
                value = Math.addExact(current(session), delta);
            } catch (ArithmeticException e) {
                throw new CounterExhaustedException("session", delta > 0);
            }
            charge(session);
            session.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(value));
            return value;
        });
    }

    public long reset(HttpSession session) {
        return locks.update(session, () -> {
            charge(session);
            session.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(0));
            return 0L;
        });
    }

    /** A session's first counter must fit in the memory budget; a replaced one costs nothing more. */
    private void charge(HttpSession session) {
        if (!(session.getAttribute(SessionCount.ATTRIBUTE) instanceof SessionCount)) {
            budget.require(SessionCount.BYTES);
        }
    }

    private static long current(HttpSession session) {
        return session.getAttribute(SessionCount.ATTRIBUTE) instanceof SessionCount count ? count.value() : 0;
    }
}
