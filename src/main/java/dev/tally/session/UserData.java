package dev.tally.session;

import dev.tally.config.TallyConfig;
import dev.tally.store.MemoryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * Per-user structured data in the {@code HttpSession}, bounded per session: at most
 * {@code tally.session.maxKeys} keys, each value at most {@code tally.session.maxValueBytes} bytes of JSON (checked
 * on the request body, by the servlet).
 */
@ApplicationScoped
public class UserData {

    @Inject
    SessionLocks locks;
    @Inject
    TallyConfig config;
    @Inject
    MemoryBudget budget;

    /** The value under {@code key}; empty without a session. Reading never creates one. */
    public Optional<String> get(HttpSession session, String key) {
        return session == null ? Optional.empty() : Optional.ofNullable(data(session).get(key));
    }

    /** How many keys the session holds; 0 without a session. */
    public int keys(HttpSession session) {
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

    private static SessionData data(HttpSession session) {
        return session.getAttribute(SessionData.ATTRIBUTE) instanceof SessionData data ? data : SessionData.EMPTY;
    }
}
