package dev.tally.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON out: every answer of the API is written here, UTF-8, never cached by the client or a proxy, and ending with a
 * newline, as text on a terminal should (the JSON value itself is unchanged: a newline is whitespace to a parser).
 */
public final class Json {

    public static final String CONTENT_TYPE = "application/json";

    /** Thread-safe once configured; shared by every request. */
    private static final ObjectMapper MAPPER = JsonMapper.builder(factory().build()).build();

    private Json() {
    }

    /**
     * A JSON factory whose buffers are pooled in a shared queue, not in thread-locals: Jackson's default keeps a
     * buffer in a ThreadLocal of every container thread that ever wrote JSON, which keeps this web application's
     * class loader alive after it is undeployed or reloaded.
     */
    static JsonFactoryBuilder factory() {
        return (JsonFactoryBuilder) JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
    }

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        write(response, status, CONTENT_TYPE, body);
    }

    /** Writes JSON text that is already valid and compact, such as a stored cache value. */
    public static void writeRaw(HttpServletResponse response, String json) throws IOException {
        send(response, 200, CONTENT_TYPE, (json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void write(HttpServletResponse response, int status, String contentType, Object body) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(body);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        send(response, status, contentType, line);
    }

    /** One line of JSON, in one write: the content type and its charset set together, its length known. */
    private static void send(HttpServletResponse response, int status, String contentType, byte[] line)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType + ";charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(line.length);
        response.getOutputStream().write(line);
    }
}
