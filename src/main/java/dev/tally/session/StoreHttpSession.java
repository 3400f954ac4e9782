package dev.tally.session;

import dev.tally.store.SessionStore;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A session held in a shared store ({@code tally.session.store}), as {@code HttpServletRequest.getSession} hands it
 * to servlets in store mode. It holds nothing of the user's state itself: {@link UserCounter} and {@link UserData}
 * change that in the store, one atomic operation at a time, by {@link #storeId()}.
 *
 * <p>It is a handle for the request's session, which may change under it. One a request asked for with
 * {@code getSession(true)} and a cookie is not looked up at once: its first change does that in the same store
 * operation (found alive, it is extended and changed; gone, nothing is applied), so a write costs one round trip,
 * not two. A session found gone, at that point or later, is never revived: the handle turns into a new session for
 * this request (a new id and cookie), and the change is applied to that one, once.
 *
 * <p>It is not a general attribute map: Tally keeps nothing else per user, and a value set here would be lost at the
 * end of the request on one node and never seen by the others. {@code setAttribute} therefore refuses, and no
 * session or attribute listener is called. See docs/sessions.md, "Sessions in the store".
 */
public final class StoreHttpSession implements HttpSession {

    /**
     * What the handle names now.
     *
     * @param id      the id the client holds
     * @param storeId the name of the session in the store: the hash of its id, never the id itself
     * @param found   what the store said of it; null while it has not been looked up
     * @param isNew   whether this request created it
     * @param touch   how this request's changes extend it; null for a session this request created, which lives
     *                {@code tally.session.newTimeout} until its client comes back
     */
    record State(String id, String storeId, SessionStore.Found found, boolean isNew, SessionStore.Touch touch) {
    }

    /** Makes a new session for the same request (and gives its client the cookie). */
    interface Renewal {
        State renew();
    }

    private final StoreSessions sessions;
    private final ServletContext context;
    private final Renewal renewal;
    private final Runnable invalidation;
    private State state;
    private boolean invalid;

    StoreHttpSession(StoreSessions sessions, ServletContext context, State state, Renewal renewal,
            Runnable invalidation) {
        this.sessions = sessions;
        this.context = context;
        this.state = state;
        this.renewal = renewal;
        this.invalidation = invalidation;
    }

    SessionStore store() {
        return sessions.store();
    }

    /** The name of the session in the store: the hash of its id, never the id itself. */
    String storeId() {
        return state.storeId();
    }

    /** How a change made now extends the session. */
    SessionStore.Touch touch() {
        return state.touch();
    }

    /** The per-user counter as this request found it (looking the session up first if it has not been). */
    long counterAsFound() {
        return found().counter();
    }

    /** The number of data keys as this request found them. */
    int dataKeysAsFound() {
        return found().dataKeys();
    }

    /** Whether the session the client named is alive (looking it up if it has not been). */
    boolean alive() {
        found();
        return !state.isNew();
    }

    /** Turns this handle into a new session for this request: the one it named is no longer in the store. */
    void renew() {
        state = renewal.renew();
    }

    private SessionStore.Found found() {
        requireValid();
        if (state.found() == null) {
            SessionStore.Found found = sessions.resume(state.storeId(), state.touch());
            if (found == null) {
                renew();
            } else {
                state = new State(state.id(), state.storeId(), found, false, state.touch());
            }
        }
        return state.found();
    }

    @Override
    public long getCreationTime() {
        return found().createdAt();
    }

    @Override
    public String getId() {
        return state.id();
    }

    /** When this request found the session: the store keeps no access time of its own. */
    @Override
    public long getLastAccessedTime() {
        return state.isNew() ? getCreationTime() : System.currentTimeMillis();
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    /** Not kept: the store decides timeouts ({@code tally.session.newTimeout} and web.xml's session-timeout). */
    @Override
    public void setMaxInactiveInterval(int interval) {
        requireValid();
    }

    @Override
    public int getMaxInactiveInterval() {
        return (int) Math.max(1, found().timeoutMillis() / 1000);
    }

    @Override
    public Object getAttribute(String name) {
        requireValid();
        return null;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        requireValid();
        return Collections.emptyEnumeration();
    }

    @Override
    public void setAttribute(String name, Object value) {
        requireValid();
        if (value != null) {
            throw new IllegalStateException("A session held in tally.session.store keeps only Tally's own state, "
                    + "changed through UserCounter and UserData; attribute '" + name + "' would be lost");
        }
    }

    @Override
    public void removeAttribute(String name) {
        requireValid();
    }

    @Override
    public void invalidate() {
        requireValid();
        invalid = true;
        store().delete(state.storeId());
        invalidation.run();
    }

    @Override
    public boolean isNew() {
        found();
        return state.isNew();
    }

    private void requireValid() {
        if (invalid) {
            throw new IllegalStateException("The session has been invalidated");
        }
    }
}
