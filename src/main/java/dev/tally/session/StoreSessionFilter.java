package dev.tally.session;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * With {@code tally.session.store} set, hands servlets the session held in the store whenever they call
 * {@code request.getSession}, the way Spring Session does: the request is wrapped, and the wrapper answers every
 * session method itself and never reaches the container's, so the container makes no session of its own. With
 * {@code container} (the default) requests pass through untouched.
 *
 * <p>The cookie is {@value #COOKIE}, not the container's {@code JSESSIONID}, so that the two kinds of id are never
 * taken for each other: {@code HttpOnly}, {@code SameSite=Lax}, the application's path, and {@code Secure} when the
 * request came over TLS. There are no commit points: nothing waits in the JVM to be saved at the end of the request,
 * since every change of the user's state is one store operation, done before the servlet answers. Creating a session
 * writes it (and its cookie) at once.
 *
 * <p>Mapped to REQUEST, ASYNC and ERROR (web.xml), and wraps on every dispatch: a request with a body is served on
 * the ASYNC dispatch that {@code RequestBodyFilter} starts. What a request found is kept in a request attribute, so a
 * second dispatch neither asks the store again nor makes a second session.
 */
public class StoreSessionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The cookie that carries a store-held session's id. */
    public static final String COOKIE = "TALLYSESSION";
    private static final String FOUND = StoreSessionFilter.class.getName() + ".found";

    @Inject
    transient StoreSessions sessions;
    /** Whether sessions live in the store: read once, so that container mode costs a request nothing. */
    private transient boolean inStore;

    @Override
    public void init() {
        inStore = sessions.enabled();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!inStore) {
            chain.doFilter(request, response);
            return;
        }
        Found found = request.getAttribute(FOUND) instanceof Found earlier ? earlier : new Found();
        request.setAttribute(FOUND, found);
        chain.doFilter(new StoreSessionRequest(request, response, found), response);
    }

    /** What this request's cookie led to, kept across its dispatches. */
    private static final class Found {
        boolean looked;
        StoreHttpSession session;
    }

    /** The request as servlets see it in store mode. */
    private final class StoreSessionRequest extends HttpServletRequestWrapper {

        private final HttpServletResponse response;
        private final Found found;

        StoreSessionRequest(HttpServletRequest request, HttpServletResponse response, Found found) {
            super(request);
            this.response = response;
            this.found = found;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        /**
         * The store-held session. Asked to create one, with one well-formed id in the cookie, it answers a handle
         * for that id without looking it up: the servlet is about to change the session, and the change looks it
         * up in the same store operation (or the handle becomes a new session, if the id's session is gone).
         */
        @Override
        public HttpSession getSession(boolean create) {
            if (!found.looked) {
                found.looked = true;
                List<String> ids = requestedIds();
                if (create && ids.size() == 1) {
                    found.session = handle(sessions.named(ids.get(0), getServletContext()));
                    return found.session;
                }
                StoreHttpSession.State state = sessions.find(ids, getServletContext());
                found.session = state == null ? null : handle(state);
            }
            if (found.session != null || !create) {
                return found.session;
            }
            found.session = handle(create());
            return found.session;
        }

        private StoreHttpSession handle(StoreHttpSession.State state) {
            return new StoreHttpSession(sessions, getServletContext(), state, this::create, this::invalidated);
        }

        private StoreHttpSession.State create() {
            if (response.isCommitted()) {
                throw new IllegalStateException("Cannot create a session after the response has been committed");
            }
            StoreHttpSession.State created = sessions.create();
            response.addHeader("Set-Cookie", cookie(created.id(), false));
            return created;
        }

        private void invalidated() {
            found.session = null;
            if (!response.isCommitted()) {
                response.addHeader("Set-Cookie", cookie("", true));
            }
        }

        private String cookie(String value, boolean expire) {
            String path = getContextPath().isEmpty() ? "/" : getContextPath();
            return COOKIE + "=" + value + "; Path=" + path + (expire ? "; Max-Age=0" : "") + "; HttpOnly; SameSite=Lax"
                    + (isSecure() ? "; Secure" : "");
        }

        /** The well-formed session ids among the request's cookies, in the order sent. */
        private List<String> requestedIds() {
            List<String> ids = new ArrayList<>(2);
            Cookie[] cookies = getCookies();
            if (cookies != null) {
                for (Cookie cookie : cookies) {
                    if (COOKIE.equals(cookie.getName()) && StoreSessions.wellFormed(cookie.getValue())) {
                        ids.add(cookie.getValue());
                    }
                }
            }
            return ids;
        }

        @Override
        public String getRequestedSessionId() {
            List<String> ids = requestedIds();
            return ids.isEmpty() ? null : ids.get(0);
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            StoreHttpSession session = (StoreHttpSession) getSession(false);
            return session != null && session.alive();
        }

        @Override
        public boolean isRequestedSessionIdFromCookie() {
            return getRequestedSessionId() != null;
        }

        @Override
        public boolean isRequestedSessionIdFromURL() {
            return false;
        }

        /** Ids in the store are not renamed: Tally has no login, the one reason to change an id. */
        @Override
        public String changeSessionId() {
            throw new IllegalStateException("Sessions held in tally.session.store do not change their id");
        }
    }
}
