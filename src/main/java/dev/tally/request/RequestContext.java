package dev.tally.request;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * The context of one request, like Flask's {@code g}: created for the request that first touches it, seen by every
 * bean of that request, destroyed when the request ends. No other request, concurrent or later, ever sees it.
 *
 * <p>It also holds a resource that must not outlive the request: its entry among the requests in flight, opened
 * when the context is created and released exactly once when CDI destroys it at the end of the request.
 */
@RequestScoped
public class RequestContext {

    private static final String ID_ATTRIBUTE = RequestContext.class.getName() + ".id";
    /** The request this thread is serving: set by {@link #enter} and put back by {@link #leave} around a dispatch. */
    private static final ThreadLocal<HttpServletRequest> SERVING = new ThreadLocal<>();

    @Inject
    RequestStats stats;

    private String id;
    private String method;
    private String path;
    private Instant startedAt;

    /** Gives a request its id, once; every dispatch of it (error, ASYNC) keeps it. */
    static void identify(HttpServletRequest request, String requestId) {
        request.setAttribute(ID_ATTRIBUTE, requestId);
    }

    /** The id of a request, or null before {@link #identify}. */
    static String idOf(HttpServletRequest request) {
        return request.getAttribute(ID_ATTRIBUTE) instanceof String known ? known : null;
    }

    /**
     * Makes {@code request} the one this thread serves, for a context created while it does; returns the one it served
     * before (an outer dispatch), to be given to {@link #leave}.
     */
    static HttpServletRequest enter(HttpServletRequest request) {
        HttpServletRequest outer = SERVING.get();
        SERVING.set(request);
        return outer;
    }

    /**
     * Puts back what {@link #enter} replaced. Never left holding a request: one left on a container thread would keep
     * this application's class loader after an undeploy. Outside any request the thread keeps an entry holding null
     * rather than none (its key is a {@code ThreadLocal}, weakly held, and pins nothing): removing it on every request
     * made the next one build it again, 2 % of a request thread's samples.
     */
    static void leave(HttpServletRequest outer) {
        SERVING.set(outer);
    }

    /** Takes what describes the request from the one this thread is serving. */
    @PostConstruct
    void open() {
        startedAt = Instant.now();
        HttpServletRequest request = SERVING.get();
        if (request != null) {
            id = idOf(request);
            method = request.getMethod();
            path = request.getRequestURI().substring(request.getContextPath().length());
        }
        stats.opened();
    }

    @PreDestroy
    void release() {
        stats.released();
    }

    public String id() {
        return id;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
