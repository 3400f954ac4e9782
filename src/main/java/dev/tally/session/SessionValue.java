package dev.tally.session;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import java.io.Serializable;

/**
 * A value Tally keeps in an {@code HttpSession}: serializable, so the container can persist and replicate it, and
 * telling {@link SessionTally} when the container writes its session out or reads it back, which the container
 * announces only to the values themselves.
 */
sealed interface SessionValue extends Serializable, HttpSessionActivationListener permits SessionCount, SessionData {

    @Override
    default void sessionWillPassivate(HttpSessionEvent event) {
        SessionTally tally = SessionTally.of(event.getSession());
        if (tally != null) {
            tally.removed(this);
        }
    }

    @Override
    default void sessionDidActivate(HttpSessionEvent event) {
        SessionTally tally = SessionTally.of(event.getSession());
        if (tally != null) {
            tally.added(this);
        }
    }
}
