package dev.tally.admin;

/**
 * Tally's sessions: {@code dev.tally:type=Sessions,context=<context path>}. With container sessions
 * ({@code tally.session.store=container}) it has the Tally state held in this node's sessions, and the container's own
 * Manager MBean ({@code Catalina:type=Manager,...}) has the session count itself. With sessions in a store, which the
 * container does not see, it has the count of live sessions of all nodes and what this node created and refused.
 */
public interface SessionsMXBean {

    /** Sessions on this node holding a per-user counter. */
    long getSessionsWithCounter();

    /** Sessions on this node holding structured data. */
    long getSessionsWithData();

    /** Keys of structured data held by all sessions on this node. */
    long getDataKeys();

    /** Where sessions live: {@code container}, or the session store's kind ({@code redis}, {@code postgresql}...). */
    String getStore();

    /** Live sessions in the session store, of every node, counted at most 10 s ago; -1 for container sessions. */
    long getLiveSessions();

    /** {@code tally.session.maxSessions}; -1 for container sessions. */
    long getMaxSessions();

    /** Sessions this node created in the session store. */
    long getCreated();

    /** Sessions this node refused to create because the session store held the maximum (503 TOO_MANY_SESSIONS). */
    long getRefused();

    /** Sessions this node found in the session store in a form not Tally's, and deleted (the user started afresh). */
    long getCorrupt();

    /**
     * Round trips this node made to the session store for per-user counter changes (the changes of one session that
     * arrive together share one); -1 for container sessions or when not coalesced ({@code tally.store.maxBatch} 1).
     */
    long getCounterRoundTrips();

    /** Per-user counter changes those round trips carried; -1 for container sessions or when not coalesced. */
    long getCoalescedCounterChanges();
}
