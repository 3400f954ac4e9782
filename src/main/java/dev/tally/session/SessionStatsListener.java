package dev.tally.session;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Passes the container's session events to {@link SessionStats}: sessions created and ended, and attributes set. The
 * container calls the attribute events inside {@code setAttribute} and {@code removeAttribute}, so for Tally's own
 * changes they run under the session's lock.
 */
@WebListener
public class SessionStatsListener implements HttpSessionAttributeListener, HttpSessionListener {

    @Inject
    SessionStats stats;

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        stats.created();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        stats.destroyed(event.getSession());
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        stats.added(event.getValue());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
        stats.removed(event.getValue());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        // The event carries the old value; the session already holds the new one.
        stats.replaced(event.getValue(), event.getSession().getAttribute(event.getName()));
    }
}
