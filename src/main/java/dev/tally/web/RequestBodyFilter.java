package dev.tally.web;

import dev.tally.config.TallyConfig;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole request body arrives before the application sees the request, or the request is refused: within
 * {@code tally.request.bodyTimeout} (else 408 {@code REQUEST_TIMEOUT}) and within the largest body any endpoint takes
 * (else 413 {@code TOO_LARGE}), and in both cases the connection is closed. The servlets then read the body from
 * memory.
 *
 * <p>Why: a servlet container reads a body with blocking reads whose timeout starts again with every byte, so a
 * client sending one byte a second would hold a request thread for as long as it likes, whether or not the servlet
 * wants the body (the container swallows an unread body after the answer, just as slowly), and a few hundred such
 * clients would hold every thread. So the body is read without blocking (Servlet 3.1 non-blocking IO): the request
 * goes asynchronous, the container calls {@link BodyReader} whenever bytes have arrived, and no thread waits for a
 * slow client in between. Once the body is all there the request is dispatched again ({@code AsyncContext.dispatch},
 * an ASYNC dispatch, for which this filter and the ones after it are mapped in web.xml) and goes on through the filters
 * and the servlet with the body in memory, on a container thread, in its request scope as before. A refused body is
 * answered and the request completed asynchronously, so the container closes the connection instead of swallowing
 * the rest of the body.
 *
 * <p>It also makes the containers behave alike for a refused body (a 403 from another site, a 415): it has been read,
 * so the keep-alive connection stays usable; Jetty 12 would otherwise close it unannounced when the body arrives after
 * the answer. The request goes on as a {@link BufferedRequest}, which also parses a form body (the home page's
 * no-JavaScript form), since the container cannot parse a body it no longer has.
 */
public class RequestBodyFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The smallest bound on bodies: room for a form or a counter's {@code {"value":N}} whatever the settings. */
    static final int MIN_MAX_BODY_BYTES = 4096;
    /** The request attribute that carries a body read asynchronously to the dispatch that serves it. */
    private static final String BODY = RequestBodyFilter.class.getName() + ".body";

    @Inject
    transient TallyConfig config;
    @Inject
    transient AsyncRequestScope scope;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(BODY) instanceof byte[] body) {
                request.removeAttribute(BODY);
                scope.bind(request);
                chain.doFilter(new BufferedRequest(request, body), response);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        long declared = request.getContentLengthLong();
        boolean hasBody = declared > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        int maxBytes = Math.max(MIN_MAX_BODY_BYTES,
                Math.max(config.cacheMaxValueBytes(), config.sessionMaxValueBytes()));
        if (declared > maxBytes) {
            refuse(request, response, tooLarge(maxBytes));
            return;
        }
        if (!request.isAsyncSupported()) {
            // Only a servlet or filter that is not Tally's (none in the WAR as shipped) gets here: read as before.
            byte[] body;
            try {
                body = read(request, declared, maxBytes, config.requestBodyTimeoutMillis());
            } catch (ProblemException refused) {
                refuse(request, response, refused);
                return;
            }
            chain.doFilter(new BufferedRequest(request, body), response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(config.requestBodyTimeoutMillis());
        BodyReader reader = new BodyReader(async, request, request.getInputStream(), declared, maxBytes,
                config.requestBodyTimeoutMillis(), scope);
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
        if (!reader.ended.get() || reader.dispatched) {
            // The body is still on its way, or will be served by an ASYNC dispatch, and this thread goes back to the
            // container: it must not keep this request's scope (see AsyncRequestScope). A body refused at once is
            // completed on this thread, which keeps the scope for Weld to end.
            scope.release(request);
        }
    }

    /**
     * Answers a refused body at once and closes the connection: the rest of the body is not read, so the connection
     * cannot carry another request (Jetty closes it without saying so, hence the header). Completed asynchronously
     * where it can be, since Tomcat would otherwise read on through the rest of the body (up to
     * {@code maxSwallowSize}) at the client's pace, holding this thread.
     */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemException refused)
            throws IOException {
        RequestIds.stamp(response, RequestIds.choose(request));
        response.setHeader("Connection", "close");
        Problems.write(response, refused);
        response.flushBuffer();
        if (request.isAsyncStarted()) {
            request.getAsyncContext().complete();
        } else if (request.isAsyncSupported()) {
            request.startAsync().complete();
        }
    }

    /**
     * Reads one body as it arrives, on whichever container thread has bytes for it, then dispatches the request with
     * it; or refuses it. Exactly one of the two happens.
     */
    private static final class BodyReader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final AsyncRequestScope scope;
        private final ServletInputStream in;
        private final int maxBytes;
        private final long timeoutMillis;
        private final ByteArrayOutputStream body;
        /** Room for a read: the declared body's size when it is smaller than 8 KiB (most bodies are). */
        private final byte[] buffer;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Set before the dispatch: the body arrived in full and the request goes on in an ASYNC dispatch. */
        private volatile boolean dispatched;

        BodyReader(AsyncContext async, HttpServletRequest request, ServletInputStream in, long declared,
                int maxBytes, long timeoutMillis, AsyncRequestScope scope) {
            this.async = async;
            this.request = request;
            this.scope = scope;
            this.in = in;
            this.maxBytes = maxBytes;
            this.timeoutMillis = timeoutMillis;
            this.body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            this.buffer = new byte[declared > 0 && declared < 8192 ? (int) declared : 8192];
        }

        @Override
        public void onDataAvailable() {
            try {
                while (!ended.get() && in.isReady()) {
                    int read = in.read(buffer);
                    if (read == -1) {
                        return; // onAllDataRead follows
                    }
                    if (body.size() + read > maxBytes) {
                        refuse(tooLarge(maxBytes));
                        return;
                    }
                    body.write(buffer, 0, read);
                }
            } catch (IOException failure) {
                // Tomcat reports a body it cannot decode (a malformed chunk size) here, not through onError.
                onError(failure);
            }
        }

        @Override
        public void onAllDataRead() {
            if (ended.compareAndSet(false, true)) {
                request.setAttribute(BODY, body.toByteArray());
                dispatched = true;
                async.dispatch();
            }
        }

        /**
         * The read failed: the container's idle timeout (408), or a body the container could not decode, such as a
         * malformed chunk size (400); a client that went away gets the 400 too, and never reads it.
         */
        @Override
        public void onError(Throwable failure) {
            refuse(timedOut(failure) ? tooSlow(timeoutMillis) : new ProblemException(Problem.BAD_REQUEST,
                    "The body could not be read: its transfer encoding is malformed."));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            refuse(tooSlow(timeoutMillis));
        }

        @Override
        public void onError(AsyncEvent event) {
            refuse(tooSlow(timeoutMillis));
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ended.set(true);
            scope.end(request);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // The dispatch does not go asynchronous again.
        }

        private void refuse(ProblemException problem) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                RequestIds.stamp(response, RequestIds.choose(request));
                response.setHeader("Connection", "close");
                Problems.write(response, problem);
            } catch (IOException | IllegalStateException e) {
                // The client is gone: there is nobody to answer.
            } finally {
                // The request ends on this thread, and with it its scope.
                scope.bind(request);
                async.complete();
            }
        }
    }

    /** Reads the body with blocking reads: for a request that cannot go asynchronous. */
    static byte[] read(HttpServletRequest request, long declared, int maxBytes, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (body.size() + read > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                body.write(buffer, 0, read);
                if (System.nanoTime() - deadline > 0 && body.size() != declared) {
                    throw tooSlow(timeoutMillis);
                }
            }
        } catch (IOException e) {
            // The container's read timed out (no byte within its idle timeout) or the client went away.
            throw tooSlow(timeoutMillis);
        }
        return body.toByteArray();
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(Problem.TOO_LARGE, "The body is larger than " + maxBytes + " bytes.");
    }

    private static ProblemException tooSlow(long timeoutMillis) {
        return new ProblemException(Problem.REQUEST_TIMEOUT,
                "The body did not arrive in full within " + timeoutMillis + " ms.");
    }
}
