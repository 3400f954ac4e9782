package dev.tally.store;

import java.util.Optional;

/**
 * Sessions and all that Tally keeps per user, held in a shared store instead of any JVM, so that every node serves
 * every user ({@code tally.session.store}). No session object is ever read, changed in a JVM and written back: each
 * change is <em>one</em> atomic store operation on one field or row, which is what keeps one user's concurrent
 * requests on different nodes from overwriting each other.
 *
 * <p>A session is named by the hash of its id ({@code id}), never by the id the client holds, so that nothing read
 * out of the store (a dump, a slow log, {@code MONITOR}) can be used as a cookie. Every write checks, in the same
 * atomic step, that the session is still alive: a session that expired or was deleted is never revived by a late
 * write ({@link Outcome#GONE}).
 *
 * <p>Every method may throw {@link StoreUnavailableException}; a write that failed may or may not have been applied
 * and is never retried by the store. A value the store holds that is not Tally's (another format, a foreign edit) is
 * reported by {@link CorruptSessionException}, after which the session is gone.
 */
public interface SessionStore extends Store {

    /** How a write ended. */
    enum Outcome {
        /** Applied. */
        OK,
        /** The session is no longer there (expired, deleted); nothing was applied. */
        GONE,
        /** The value under the key is not the version the write expected; nothing was applied. */
        CONFLICT,
        /** The key is new and the session already holds {@code maxKeys} keys; nothing was applied. */
        TOO_MANY_KEYS,
        /** As many sessions are alive as may be, across every node; no session was created. */
        FULL,
        /** A session with that id exists already; none was created (draw another id). */
        TAKEN
    }

    /**
     * A live session as a request finds it.
     *
     * @param createdAt when it was created, in the store's clock (ms since the epoch)
     * @param counter   its per-user counter (0 if never changed)
     * @param dataKeys  how many keys of structured data it holds
     * @param timeoutMillis the idle timeout it has from now on
     */
    record Found(long createdAt, long counter, int dataKeys, long timeoutMillis) {
    }

    /**
     * How an operation by a client that came back with its cookie extends the session it finds: to
     * {@code timeoutMillis} from now if the session was new, or if less than {@code timeoutMillis - touchMillis} of it
     * was left (so that a session used again and again is extended at most once per {@code touchMillis}). A null
     * touch leaves the session as it is (a session created by the same request).
     */
    record Touch(long timeoutMillis, long touchMillis) {
    }

    /** A data value and its version ({@code WriteCondition.version} of the text). */
    record Versioned(String json, String version) {
    }

    /**
     * Creates a session that lives {@code timeoutMillis} unless resumed, if fewer than {@code maxSessions} are alive.
     *
     * @return {@link Outcome#OK}, {@link Outcome#FULL} or {@link Outcome#TAKEN}
     */
    Outcome create(String id, long timeoutMillis, long maxSessions);

    /** The live session {@code id}, extended as {@code touch} says; empty if it is gone. */
    Optional<Found> resume(String id, Touch touch);

    /** Adds {@code delta} to the live session's counter, extending it as {@code touch} says; empty if it is gone. */
    Optional<Long> add(String id, long delta, Touch touch);

    /** Sets the session's counter to 0, extending it as {@code touch} says; false if the session is gone. */
    boolean resetCounter(String id, Touch touch);

    /** The value under {@code key}; empty if there is none (or no session). */
    Optional<Versioned> get(String id, String key);

    /**
     * Stores {@code json} (whose version is {@code version}) under {@code key}, if the value there now has the
     * version {@code expected}: {@code null} for whatever is there, {@code ""} for no value. Extends the session as
     * {@code touch} says.
     */
    Outcome put(String id, String key, String expected, String json, String version, int maxKeys, Touch touch);

    /**
     * Removes the value under {@code key}, if its version is {@code expected} (null: any; "": none is there), extending
     * the session as {@code touch} says.
     */
    Outcome remove(String id, String key, String expected, Touch touch);

    /** Deletes the session and all it holds; nothing happens if it is gone already. */
    void delete(String id);

    /** Live sessions, of every node together. */
    long live();
}
