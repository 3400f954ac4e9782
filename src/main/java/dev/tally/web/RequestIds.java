package dev.tally.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        return id != null && VALID_ID.matcher(id).matches() ? id : fresh();
    }

    /**
     * A random version-4 UUID from the thread's own generator: a request id must be unique, not secret, and
     * {@code UUID.randomUUID()} would make every request take SecureRandom's lock.
     */
    static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /** What every answer carries: its request id, and the {@link SecurityHeaders} of every answer. */
    public static void stamp(HttpServletResponse response, String id) {
        response.setHeader(HEADER, id);
        SecurityHeaders.everyAnswer(response);
    }
}
