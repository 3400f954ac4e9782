package dev.tally.request;

import dev.tally.ops.CurrentRequest;
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

    private static final String TRACE_ATTRIBUTE = RequestContext.class.getName() + ".trace";

    @Inject
    RequestStats stats;

    private String id;
    private String method;
    private String path;
    private Traceparent traceparent;
    private Instant startedAt;

    /** Gives a request the trace context it came with, once; null when it came with no valid one. */
    static void trace(HttpServletRequest request, Traceparent traceparent) {
        if (traceparent != null) {
            request.setAttribute(TRACE_ATTRIBUTE, traceparent);
        }
    }

    /** The trace context a request came with, or null. */
    static Traceparent traceOf(HttpServletRequest request) {
        return request.getAttribute(TRACE_ATTRIBUTE) instanceof Traceparent known ? known : null;
    }

    /** Takes what describes the request from the one this thread is serving. */
    @PostConstruct
    void open() {
        startedAt = Instant.now();
        HttpServletRequest request = CurrentRequest.get();
        if (request != null) {
            id = CurrentRequest.idOf(request);
            method = request.getMethod();
            path = request.getRequestURI().substring(request.getContextPath().length());
            traceparent = traceOf(request);
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

    /** The W3C trace context the request came with, or null when it came with none that is valid. */
    public Traceparent traceparent() {
        return traceparent;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
