package dev.tally.session;

import dev.tally.config.TallyConfig;
import dev.tally.store.CorruptSessionException;
import dev.tally.store.MemoryBudget;
import dev.tally.store.SessionStore;
import dev.tally.store.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Per-user structured data in the {@code HttpSession}, bounded per session: at most
 * {@code tally.session.maxKeys} keys, each value at most {@code tally.session.maxValueBytes} bytes of JSON (checked
 * on the request body, by the servlet).
 */
@ApplicationScoped
public class UserData {

    /** Compare-and-set attempts of one conditional write in the store, before it gives up with 412. */
    static final int ATTEMPTS = 3;

    @Inject
    SessionLocks locks;
    @Inject
    TallyConfig config;
    @Inject
    MemoryBudget budget;
    @Inject
    StoreSessions storeSessions;

    /** The value under {@code key}; empty without a session. Reading never creates one. */
    public Optional<String> get(HttpSession session, String key) {
        if (session instanceof StoreHttpSession held) {
            return stored(held, key).map(SessionStore.Versioned::json);
        }
        return session == null ? Optional.empty() : Optional.ofNullable(data(session).get(key));
    }

    /** How many keys the session holds; 0 without a session. */
    public int keys(HttpSession session) {
        if (session instanceof StoreHttpSession held) {
            return held.dataKeysAsFound();
        }
        return session == null ? 0 : data(session).size();
    }

    public void put(HttpSession session, String key, String json) {
        put(session, key, json, WriteCondition.NONE);
    }

    /**
     * Stores {@code json} under {@code key} if {@code condition} holds for the value there now, checked and written
     * under the session's lock, so no other write of this node comes in between.
     *
     * @throws PreconditionFailedException when it does not hold; nothing is changed
     */
    public void put(HttpSession session, String key, String json, WriteCondition condition) {
        if (session instanceof StoreHttpSession held) {
            String version = WriteCondition.version(json);
            write(held, key, condition, false, (s, expected) -> s.store().put(s.storeId(), key, expected, json, version,
                    config.sessionMaxKeys(), s.touch()));
            return;
        }
        locks.update(session, () -> {
            SessionData data = data(session);
            if (!condition.admits(data.get(key))) {
                throw new PreconditionFailedException();
            }
            if (!data.contains(key) && data.size() >= config.sessionMaxKeys()) {
                throw new TooManyKeysException(config.sessionMaxKeys());
            }
            SessionData changed = data.with(key, json);
            budget.require(changed.bytes() - (data == SessionData.EMPTY ? 0 : data.bytes()));
            session.setAttribute(SessionData.ATTRIBUTE, changed);
            return null;
        });
    }

    /** Removes the value under {@code key}; nothing happens when there is none, or no session. */
    public void delete(HttpSession session, String key) {
        delete(session, key, WriteCondition.NONE);
    }

    /**
     * Removes the value under {@code key} if {@code condition} holds for it (without a session, as for no value).
     *
     * @throws PreconditionFailedException when it does not hold; nothing is changed
     */
    public void delete(HttpSession session, String key, WriteCondition condition) {
        if (session == null) {
            if (!condition.admits(null)) {
                throw new PreconditionFailedException();
            }
            return;
        }
        if (session instanceof StoreHttpSession held) {
            write(held, key, condition, true, (s, expected) -> s.store().remove(s.storeId(), key, expected, s.touch()));
            return;
        }
        locks.update(session, () -> {
            SessionData data = data(session);
            if (!condition.admits(data.get(key))) {
                throw new PreconditionFailedException();
            }
            if (data.contains(key)) {
                session.setAttribute(SessionData.ATTRIBUTE, data.without(key));
            }
            return null;
        });
    }

    /**
     * One write of a key in the store. Without a condition it is applied whatever the value is. With one, the
     * condition is checked on the value read from the store, and the write is sent as a compare-and-set on that
     * value's version: if another request changed the key in between ({@code CONFLICT}), the value is read and the
     * condition checked again, at most {@value #ATTEMPTS} times. Writes to other keys, and counter changes, never
     * conflict. A session gone at the write is not revived: a put goes to a new session, its condition checked on no
     * value; a removal finds no value and makes no session.
     */
    private void write(StoreHttpSession held, String key, WriteCondition condition, boolean removal,
            BiFunction<StoreHttpSession, String, SessionStore.Outcome> write) {
        StoreHttpSession session = held;
        boolean renewed = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String expected = null;
            if (condition != WriteCondition.NONE) {
                Optional<SessionStore.Versioned> current = stored(session, key);
                if (!condition.admits(current.map(SessionStore.Versioned::json).orElse(null))) {
                    throw new PreconditionFailedException();
                }
                expected = current.map(SessionStore.Versioned::version).orElse("");
            }
            SessionStore.Outcome outcome;
            try {
                outcome = write.apply(session, expected);
            } catch (CorruptSessionException e) {
                storeSessions.reportCorrupt(e);
                outcome = SessionStore.Outcome.GONE;
            }
            switch (outcome) {
                case OK -> {
                    return;
                }
                case TOO_MANY_KEYS -> throw new TooManyKeysException(config.sessionMaxKeys());
                case GONE -> {
                    if (removal) {
                        if (!condition.admits(null)) {
                            throw new PreconditionFailedException();
                        }
                        return;
                    }
                    if (renewed) {
                        throw new StoreUnavailableException("session store: a session just created was gone at once",
                                null);
                    }
                    renewed = true;
                    session.renew();
                }
                default -> {
                    // CONFLICT: another request wrote this key since it was read; read again
                }
            }
        }
        throw new PreconditionFailedException();
    }

    /**
     * The value under {@code key} in the store, if its version is the version of its text; a value whose version
     * does not match was not written by Tally, and its session is deleted (the user starts afresh).
     */
    private Optional<SessionStore.Versioned> stored(StoreHttpSession session, String key) {
        try {
            Optional<SessionStore.Versioned> value = session.store().get(session.storeId(), key);
            if (value.isPresent() && !WriteCondition.version(value.get().json()).equals(value.get().version())) {
                session.store().delete(session.storeId());
                storeSessions.reportCorrupt(new CorruptSessionException("session store: a session's value under '"
                        + key + "' does not match its version: not written by Tally; deleted", null));
                return Optional.empty();
            }
            return value;
        } catch (CorruptSessionException e) {
            storeSessions.reportCorrupt(e);
            return Optional.empty();
        }
    }

    private static SessionData data(HttpSession session) {
        return session.getAttribute(SessionData.ATTRIBUTE) instanceof SessionData data ? data : SessionData.EMPTY;
    }
}
