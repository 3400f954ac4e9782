package dev.tally.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpSession;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the read-modify-write of one session's state across that session's concurrent requests (two browser
 * tabs, a double click, a script with one cookie), so none overwrites another's update.
 *
 * <p>The lock is chosen by the session id from a fixed set of stripes: it cannot be on the session object, because
 * the container may hand two requests different objects for one session, and it cannot be stored in the session,
 * because session attributes must be serializable. A fixed set costs no memory per session and cannot leak. Two
 * sessions that share a stripe merely wait for each other for the microseconds an update takes.
 *
 * <p>This protects one node. Requests of one session spread over several cluster nodes are not serialised.
 */
@ApplicationScoped
public class SessionLocks {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public SessionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public <T> T update(HttpSession session, Supplier<T> change) {
        ReentrantLock lock = locks[Math.floorMod(spread(session.getId().hashCode()), STRIPES)];
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
