package dev.tally.request;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * A W3C Trace Context {@code traceparent} header (https://www.w3.org/TR/trace-context/#traceparent-header), checked
 * as the specification says: {@code version-traceid-parentid-flags} in lowercase hex, version {@code ff} refused,
 * an all-zero trace or parent id refused, version {@code 00} exactly 55 characters, a later version at least that
 * and only its first four fields read. A request with none, with an invalid one or with more than one has none:
 * Tally never echoes what it could not read.
 *
 * @param traceId  32 hex digits, the trace the request belongs to
 * @param parentId 16 hex digits, the caller's span
 * @param flags    2 hex digits ({@code 01}: sampled)
 */
public record Traceparent(String traceId, String parentId, String flags) {

    public static final String HEADER = "traceparent";
    private static final int LENGTH = 55;

    /** The request's trace context, or null when it has no valid one. */
    public static Traceparent of(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(HEADER);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String value = values.nextElement();
        return values.hasMoreElements() ? null : parse(value);
    }

    /** The trace context {@code value} holds, or null when it is not a valid {@code traceparent}. */
    public static Traceparent parse(String value) {
        if (value == null) {
            return null;
        }
        String header = value.strip();
        if (header.length() < LENGTH || header.charAt(2) != '-' || header.charAt(35) != '-'
                || header.charAt(52) != '-') {
            return null;
        }
        String version = header.substring(0, 2);
        String traceId = header.substring(3, 35);
        String parentId = header.substring(36, 52);
        String flags = header.substring(53, 55);
        if (!hex(version) || version.equals("ff") || !hex(traceId) || !hex(parentId) || !hex(flags)
                || zeros(traceId) || zeros(parentId)) {
            return null;
        }
        boolean exact = header.length() == LENGTH;
        if (version.equals("00") ? !exact : !exact && header.charAt(LENGTH) != '-') {
            return null;
        }
        return new Traceparent(traceId, parentId, flags);
    }

    /** As the header says it, in version 00: what Tally returns on the response and writes in its logs. */
    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    private static boolean hex(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String field) {
        return field.chars().allMatch(c -> c == '0');
    }
}
