package dev.tally.session;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;

/**
 * Passes the container's session attribute events to {@link SessionTally}. The container calls these inside
 * {@code setAttribute} and {@code removeAttribute}, so for Tally's own changes they run under the session's lock.
 */
@WebListener
public class SessionAttributeEvents implements HttpSessionAttributeListener {

    @Inject
    SessionTally tally;

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        tally.added(event.getValue());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
        tally.removed(event.getValue());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        // The event carries the old value; the session already holds the new one.
        tally.replaced(event.getValue(), event.getSession().getAttribute(event.getName()));
    }
}
