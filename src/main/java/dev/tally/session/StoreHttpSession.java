package dev.tally.session;

import dev.tally.store.SessionStore;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A session held in a shared store ({@code tally.session.store}), as {@code HttpServletRequest.getSession} hands it
 * to servlets in store mode. It holds nothing of the user's state itself: {@link UserCounter} and {@link UserData}
 * change that in the store, one atomic operation at a time, by {@link #storeId()}. What it knows of the session is
 * what the store said when this request resumed or created it.
 *
 * <p>It is not a general attribute map: Tally keeps nothing else per user, and a value set here would be lost at the
 * end of the request on one node and never seen by the others. {@code setAttribute} therefore refuses, and no
 * session or attribute listener is called. See docs/sessions.md, "Sessions in the store".
 */
public final class StoreHttpSession implements HttpSession {

    /** Makes a new session for the same request, when this one is found gone before a write (see UserCounter). */
    interface Renewal {
        StoreHttpSession renew();
    }

    private final SessionStore store;
    private final String id;
    private final String storeId;
    private final ServletContext context;
    private final long createdAt;
    private final long counter;
    private final int dataKeys;
    private final boolean isNew;
    private final Renewal renewal;
    private final Runnable invalidation;
    private volatile int timeoutSeconds;
    private volatile boolean invalid;

    StoreHttpSession(SessionStore store, String id, String storeId, ServletContext context, SessionStore.Found found,
            boolean isNew, Renewal renewal, Runnable invalidation) {
        this.store = store;
        this.id = id;
        this.storeId = storeId;
        this.context = context;
        this.createdAt = found.createdAt();
        this.counter = found.counter();
        this.dataKeys = found.dataKeys();
        this.timeoutSeconds = (int) Math.max(1, found.timeoutMillis() / 1000);
        this.isNew = isNew;
        this.renewal = renewal;
        this.invalidation = invalidation;
    }

    SessionStore store() {
        return store;
    }

    /** The name of the session in the store: the hash of its id, never the id itself. */
    String storeId() {
        return storeId;
    }

    /** The per-user counter as this request found it. */
    long counterAsFound() {
        return counter;
    }

    /** The number of data keys as this request found them. */
    int dataKeysAsFound() {
        return dataKeys;
    }

    /** A new session for this request, in place of this one, which the store no longer holds. */
    StoreHttpSession renew() {
        invalid = true;
        return renewal.renew();
    }

    @Override
    public long getCreationTime() {
        requireValid();
        return createdAt;
    }

    @Override
    public String getId() {
        return id;
    }

    /** When this request found the session: the store keeps no access time of its own. */
    @Override
    public long getLastAccessedTime() {
        requireValid();
        return isNew ? createdAt : System.currentTimeMillis();
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
        return timeoutSeconds;
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
        store.delete(storeId);
        invalidation.run();
    }

    @Override
    public boolean isNew() {
        requireValid();
        return isNew;
    }

    private void requireValid() {
        if (invalid) {
            throw new IllegalStateException("The session has been invalidated");
        }
    }
}
