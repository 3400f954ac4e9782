package dev.tally.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Reads and discards what a refused request sent as its body and nobody read (a 403 from another site, a 415, a
 * 413), at most {@value #MAX_DISCARD_BYTES} bytes, once the response is complete and sent.
 *
 * <p>Tomcat swallows such a body itself, so the client's keep-alive connection stays usable. Jetty 12 does not wait
 * for it: when the body arrives after the response, Jetty closes the connection without saying so, and the client's
 * next request on it fails with no answer at all. Reading the rest here makes both containers behave the same. A body
 * larger than the bound is left unread, and the container closes that connection, as it should for such a client.
 */
public class UnreadBodyFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final int MAX_DISCARD_BYTES = 1 << 20;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        // Not for a client that waits for "100 Continue" before sending its body: it was refused, and sends nothing.
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (hasBody && request.getHeader("Expect") == null && !request.isAsyncStarted()) {
            response.flushBuffer(); // the answer goes out first: the client may wait for it before sending the rest
            discard(request);
        }
    }

    private static void discard(HttpServletRequest request) {
        try {
            ServletInputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long left = MAX_DISCARD_BYTES;
            int read;
            while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
                left -= read;
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the body was read as characters: nothing is left to discard here.
        }
    }
}
