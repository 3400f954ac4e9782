package dev.tally.session;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;

/**
 * Passes the container's session attribute events to {@link SessionStats}. The container calls these inside
 * {@code setAttribute} and {@code removeAttribute}, so for Tally's own changes they run under the session's lock.
 */
@WebListener
public class SessionStatsListener implements HttpSessionAttributeListener {

    @Inject
    SessionStats stats;

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
