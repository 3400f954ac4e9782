package dev.tally.session;

import dev.tally.store.CorruptSessionException;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.MemoryBudget;
import dev.tally.store.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-user counter, like Flask's {@code session['counter'] += 1} but safe when one user's requests run at once.
 * In a container's session every change reads, computes and writes back under the session's lock; that protects one
 * node. In a session held in the store ({@link StoreHttpSession}) every change is one atomic operation in the store
 * ({@code HINCRBY}, {@code UPDATE}), never a read-modify-write in a JVM, which protects every node.
 */
@ApplicationScoped
public class UserCounter {

    @Inject
    SessionLocks locks;
    @Inject
    MemoryBudget budget;
    @Inject
    StoreSessions storeSessions;

    /** The counter of this session; 0 without a session. Reading never creates one. */
    public long get(HttpSession session) {
        if (session == null) {
            return 0;
        }
        if (session instanceof StoreHttpSession held) {
            return held.counterAsFound();
        }
        return current(session);
    }

    /** Adds {@code delta} and returns the new value; refuses to go past the range of a long. */
    public long add(HttpSession session, long delta) {
        if (session instanceof StoreHttpSession held) {
            return inStore(held, s -> s.store().add(s.storeId(), delta, s.touch()));
        }
        return locks.update(session, () -> {
            Object held = session.getAttribute(SessionCount.ATTRIBUTE);
            long value;
            try {
                value = Math.addExact(held instanceof SessionCount count ? count.value() : 0, delta);
            } catch (ArithmeticException e) {
                throw new CounterExhaustedException("session", delta > 0);
            }
            charge(held);
            session.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(value));
            return value;
        });
    }

    public long reset(HttpSession session) {
        if (session instanceof StoreHttpSession held) {
            return inStore(held, s -> s.store().resetCounter(s.storeId(), s.touch())
                    ? Optional.of(0L) : Optional.empty());
        }
        return locks.update(session, () -> {
            charge(session.getAttribute(SessionCount.ATTRIBUTE));
            session.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(0));
            return 0L;
        });
    }

    /**
     * One change in the store, which also finds the session (and extends it) if the request has not yet. A session
     * found gone (expired, never there, or held corrupt) is not revived: the change goes, once, to a new session for
     * this request.
     */
    private long inStore(StoreHttpSession session, Function<StoreHttpSession, Optional<Long>> change) {
        Optional<Long> value;
        try {
            value = change.apply(session);
        } catch (CorruptSessionException e) {
            storeSessions.reportCorrupt(e);
            value = Optional.empty();
        }
        if (value.isPresent()) {
            return value.get();
        }
        session.renew();
        return change.apply(session).orElseThrow(() -> new StoreUnavailableException(
                "session store: a session just created was gone at once", null));
    }

    /**
     * A session's first counter must fit in the memory budget; a replaced one costs nothing more. {@code held} is what
     * the session holds under the counter's name now.
     */
    private void charge(Object held) {
        if (!(held instanceof SessionCount)) {
            budget.require(SessionCount.BYTES);
        }
    }

    private static long current(HttpSession session) {
        return session.getAttribute(SessionCount.ATTRIBUTE) instanceof SessionCount count ? count.value() : 0;
    }
}
