package dev.tally.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jboss.weld.context.http.Http;
import org.jboss.weld.context.http.HttpConversationContext;
import org.jboss.weld.context.http.HttpRequestContext;
import org.jboss.weld.context.http.HttpSessionContext;

/**
 * Gives a request whose body is read asynchronously its request scope ({@code @RequestScoped} beans, the request
 * context of {@code GET /api/request}) on the dispatch that serves it, and ends it there, when the container does not.
 *
 * <p>Weld runs the request scope from the container's request events. Jetty sends them for every dispatch, so the
 * ASYNC dispatch that follows the body's arrival gets a request scope from Weld, and Weld ends it. Tomcat sends them
 * once a request: initialized on the first dispatch, destroyed when the request completes, which is on the thread of
 * the ASYNC dispatch or of a refusal, usually not the first one. So, on Tomcat only:
 * <ul>
 *   <li>the first dispatch creates no request-scoped bean (RequestBodyFilter runs before RequestIdFilter), and its
 *       thread lets go of the empty scope Weld bound to it once the request has gone asynchronous ({@link #release});
 *       otherwise Weld would report a leaked bean store on that thread's next request;</li>
 *   <li>the thread that serves the ASYNC dispatch, or completes a refused request, binds the scope ({@link #bind}),
 *       and the beans of the request are created there;</li>
 *   <li>as the request completes on that thread the scope is marked for destruction ({@link #end}), and Weld's end of
 *       the request, which follows, destroys the beans exactly once.</li>
 * </ul>
 * Weld's nested-invocation guard would skip that end on any thread but the first: web.xml turns it off.
 */
@ApplicationScoped
public class AsyncRequestScope {

    @Inject
    @Http
    HttpRequestContext context;
    @Inject
    @Http
    HttpSessionContext sessionContext;
    @Inject
    @Http
    HttpConversationContext conversationContext;

    /**
     * Whether the container sends request events once a request (Tomcat) rather than once a dispatch (Jetty), and
     * Weld runs a request scope for this request at all ({@link ScopedRequests}).
     */
    private static boolean eventsOncePerRequest(HttpServletRequest request) {
        return request.getServletContext().getServerInfo().startsWith("Apache Tomcat")
                && ScopedRequests.scoped(request);
    }

    /** Binds the request scope of {@code request} to this thread, replacing whatever this thread held. */
    public void bind(HttpServletRequest request) {
        if (!eventsOncePerRequest(request)) {
            return;
        }
        // Whatever this thread still held (it should hold nothing, see release) is dissociated, not deactivated:
        // deactivating would detach a bean store that may belong to a request still running elsewhere.
        context.dissociate(request);
        context.associate(request);
        context.activate();
        sessionContext.dissociate(request);
        sessionContext.associate(request);
        sessionContext.activate();
        // Associated only (Tally has no conversations), so that Weld's end of the request can dissociate it.
        conversationContext.dissociate(request);
        conversationContext.associate(request);
    }

    /**
     * Marks the request scope bound to this thread for destruction, as the request completes: Weld's end of the request
     * (Tomcat's request-destroyed event, which follows on this thread) then destroys its beans. Without it Weld would
     * not: at that moment Tomcat still reports the request as asynchronous, and Weld leaves the scope of an
     * asynchronous request for an end that never comes.
     */
    public void end(HttpServletRequest request) {
        if (eventsOncePerRequest(request) && context.isActive()) {
            context.invalidate();
        }
    }

    /**
     * This thread lets go of the request scope Weld bound to it for a request that has gone asynchronous: empty, since
     * no request-scoped bean is created before the body has arrived.
     */
    public void release(HttpServletRequest request) {
        if (eventsOncePerRequest(request)) {
            // What Weld's end of the request would do on this thread; the scope is empty (see above), so nothing is
            // destroyed.
            for (var bound : List.of(conversationContext, sessionContext, context)) {
                if (bound.isActive()) {
                    bound.deactivate();
                }
            }
            conversationContext.dissociate(request);
            sessionContext.dissociate(request);
            context.dissociate(request);
        }
    }
}
