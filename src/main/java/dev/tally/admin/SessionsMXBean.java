package dev.tally.admin;

/**
 * The Tally state held in this node's sessions: {@code dev.tally:type=Sessions,context=<context path>}. The
 * container's own Manager MBean ({@code Catalina:type=Manager,...}) has the session count itself.
 */
public interface SessionsMXBean {

    /** Sessions on this node holding a per-user counter. */
    long getSessionsWithCounter();

    /** Sessions on this node holding structured data. */
    long getSessionsWithData();

    /** Keys of structured data held by all sessions on this node. */
    long getDataKeys();
}
