package dev.tally.ops;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The request a thread is serving, and its id: what the request context is made from, and what Tally's log lines
 * name ({@link #tag()}), so that an operator can find every line of one request by the id its client was given in
 * {@code X-Request-Id}. Set by the request id filter around each dispatch; outside a request (startup, the
 * container's background threads) there is none.
 */
public final class CurrentRequest {

    private static final String ID_ATTRIBUTE = CurrentRequest.class.getName() + ".id";
    /** The request this thread is serving: set by {@link #enter} and put back by {@link #leave} around a dispatch. */
    private static final ThreadLocal<HttpServletRequest> SERVING = new ThreadLocal<>();

    private CurrentRequest() {
    }

    /** Gives a request its id, once; every dispatch of it (error, ASYNC) keeps it. */
    public static void identify(HttpServletRequest request, String requestId) {
        request.setAttribute(ID_ATTRIBUTE, requestId);
    }

    /** The id of a request, or null before {@link #identify}. */
    public static String idOf(HttpServletRequest request) {
        return request.getAttribute(ID_ATTRIBUTE) instanceof String known ? known : null;
    }

    /**
     * Makes {@code request} the one this thread serves; returns the one it served before (an outer dispatch), to be
     * given to {@link #leave}.
     */
    public static HttpServletRequest enter(HttpServletRequest request) {
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
    public static void leave(HttpServletRequest outer) {
        SERVING.set(outer);
    }

    /** The request this thread is serving, or null. */
    public static HttpServletRequest get() {
        return SERVING.get();
    }

    /**
     * What starts each of Tally's log lines written while serving a request: {@code "request <id>: "}; empty on a
     * thread that serves none. The id is one Tally chose or checked ({@code [A-Za-z0-9._-]}), never raw input.
     */
    public static String tag() {
        HttpServletRequest request = SERVING.get();
        String id = request == null ? null : idOf(request);
        return id == null ? "" : "request " + id + ": ";
    }
}
