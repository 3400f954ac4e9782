package dev.tally.request;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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

    @Inject
    RequestStats stats;

    private String id;
    private String method;
    private String path;
    private Instant startedAt;

    @PostConstruct
    void open() {
        startedAt = Instant.now();
        stats.opened();
    }

    @PreDestroy
    void release() {
        stats.released();
    }

    /** Called once, by {@link RequestIdFilter}, as the request enters the application. */
    void begin(String requestId, String requestMethod, String requestPath) {
        this.id = requestId;
        this.method = requestMethod;
        this.path = requestPath;
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
