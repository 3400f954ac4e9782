package dev.tally.web;

import dev.tally.config.TallyConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole request body arrives before the application sees the request, or the request is refused: within
 * {@code tally.request.bodyTimeout} (else 408 {@code REQUEST_TIMEOUT}) and within the largest body any endpoint takes
 * (else 413 {@code TOO_LARGE}), and in both cases the connection is closed. The servlets then read the body from
 * memory.
 *
 * <p>Why: a servlet container reads a body with blocking reads whose timeout starts again with every byte, so a
 * client sending one byte a second holds a request thread for as long as it likes, whether or not the servlet wants
 * the body (the container swallows an unread body after the answer, just as slowly). Two hundred such clients would
 * hold every thread. Here a slow body costs a thread for at most the body timeout plus one read's idle timeout
 * ({@code connectionUploadTimeout} in tomcat-conf/server.xml), and never reaches a servlet. A request for a path no
 * Tally servlet serves (a static file: the container's own servlet, which is not async-supported) is refused the
 * same way but ends synchronously, and Tomcat then swallows the rest of its body, up to {@code maxSwallowSize}, at
 * the client's pace: that case is not covered.
 *
 * <p>It also makes the containers behave alike for a refused body (a 403 from another site, a 415): it has been read,
 * so the keep-alive connection stays usable; Jetty 12 would otherwise close it unannounced when the body arrives after
 * the answer. The parameters of a form body (the home page's no-JavaScript form) are parsed here too, since the
 * container cannot parse a body it no longer has.
 */
public class RequestBodyFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The smallest bound on bodies: room for a form or a counter's {@code {"value":N}} whatever the settings. */
    static final int MIN_MAX_BODY_BYTES = 4096;
    private static final int MAX_PARAMETERS = 100;

    @Inject
    transient TallyConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        boolean hasBody = declared > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        int maxBytes = Math.max(MIN_MAX_BODY_BYTES,
                Math.max(config.cacheMaxValueBytes(), config.sessionMaxValueBytes()));
        byte[] body;
        try {
            body = read(request, declared, maxBytes, config.requestBodyTimeoutMillis());
        } catch (ProblemException refused) {
            // The rest of the body is not read, so the connection cannot carry another request: the container closes
            // it (Jetty without saying so, hence the header). The answer goes out at once. Ended synchronously,
            // Tomcat would then read on through the rest of the body (up to maxSwallowSize) at whatever pace the
            // client sends it, holding this thread; a request completed asynchronously it closes at once.
            response.setHeader("Connection", "close");
            Problems.write(response, refused);
            response.flushBuffer();
            if (request.isAsyncSupported()) {
                request.startAsync().complete();
            }
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    static byte[] read(HttpServletRequest request, long declared, int maxBytes, long timeoutMillis) {
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
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

    static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(413, "TOO_LARGE", "The body is larger than " + maxBytes + " bytes.");
    }

    private static ProblemException tooSlow(long timeoutMillis) {
        return new ProblemException(408, "REQUEST_TIMEOUT",
                "The body did not arrive in full within " + timeoutMillis + " ms.");
    }

    /** The request with its body in memory, and the parameters of its query and form body. */
    static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;
        private Map<String, String[]> parameters;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("The body is in memory; read it directly.");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.ISO_8859_1;
            String encoding = getCharacterEncoding();
            if (encoding != null && Charset.isSupported(encoding)) {
                charset = Charset.forName(encoding);
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Collections.unmodifiableMap(parameters());
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values.clone();
        }

        private Map<String, String[]> parameters() {
            if (parameters == null) {
                Map<String, List<String>> all = new LinkedHashMap<>();
                parse(getQueryString(), all);
                String type = getContentType();
                if ("POST".equals(getMethod()) && type != null && type.toLowerCase(Locale.ROOT)
                        .startsWith("application/x-www-form-urlencoded")) {
                    parse(new String(body, StandardCharsets.ISO_8859_1), all);
                }
                Map<String, String[]> result = new LinkedHashMap<>();
                all.forEach((name, values) -> result.put(name, values.toArray(String[]::new)));
                parameters = result;
            }
            return parameters;
        }

        /** application/x-www-form-urlencoded, UTF-8; a pair that does not decode is left out, as are pairs past 100. */
        static void parse(String encoded, Map<String, List<String>> into) {
            if (encoded == null || encoded.isEmpty()) {
                return;
            }
            int count = 0;
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty() || count++ >= MAX_PARAMETERS) {
                    continue;
                }
                int equals = pair.indexOf('=');
                try {
                    String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
                            StandardCharsets.UTF_8);
                    String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
                            StandardCharsets.UTF_8);
                    into.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } catch (IllegalArgumentException notEncoded) {
                    // A broken percent-encoding: this pair is not a parameter.
                }
            }
        }
    }
}
