package dev.tally.web;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Every security header Tally sends, in one place: what every answer carries, and what the HTML page adds.
 */
public final class SecurityHeaders {

    /** The page's own script, style and forms only; no framing, no {@code <base>}. */
    static final String PAGE_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /** Every answer, errors included: a browser must take its content type as given, never guess another. */
    public static void everyAnswer(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** An HTML page: only its own resources, never in a frame, no referrer to other sites, never cached. */
    public static void page(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", PAGE_POLICY);
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
    }
}
