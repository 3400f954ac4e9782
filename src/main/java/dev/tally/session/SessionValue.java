package dev.tally.session;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import java.io.Serializable;

/**
 * A value Tally keeps in an {@code HttpSession}: serializable, so the container can persist and replicate it, and
 * telling {@link SessionStats} when the container writes its session out or reads it back, which the container
 * announces only to the values themselves.
 */
sealed interface SessionValue extends Serializable, HttpSessionActivationListener permits SessionCount, SessionData {

    /**
     * What a session costs the memory budget for holding a value of Tally's at all: the container's session object,
     * its id, attribute map and cookie, as measured on Tomcat (about 550 bytes), rounded up. Charged with each value,
     * so a session holding both kinds is counted twice: the estimate errs high.
     */
    long SESSION_BYTES = 640;

    /** What this value takes on the heap, with {@link #SESSION_BYTES}, for the memory budget. */
    long bytes();

    @Override
    default void sessionWillPassivate(HttpSessionEvent event) {
        SessionStats stats = SessionStats.of(event.getSession());
        if (stats != null) {
            stats.removed(this);
        }
    }

    @Override
    default void sessionDidActivate(HttpSessionEvent event) {
        SessionStats stats = SessionStats.of(event.getSession());
        if (stats != null) {
            stats.added(this);
        }
    }
}
