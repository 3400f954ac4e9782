package dev.tally.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request's id, as {@code X-Request-Id} says it on the response: the caller's own when it is a valid id, a fresh
 * random one otherwise.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    /** The caller's id if valid, else a fresh one. */
    public static String choose(HttpServletRequest request) {
        String id = request.getHeader(HEADER);
        return id != null && VALID_ID.matcher(id).matches() ? id : UUID.randomUUID().toString();
    }

    /** What every answer carries: its request id, and the {@link SecurityHeaders} of every answer. */
    public static void stamp(HttpServletResponse response, String id) {
        response.setHeader(HEADER, id);
        SecurityHeaders.everyAnswer(response);
    }
}
