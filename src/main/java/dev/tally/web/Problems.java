package dev.tally.web;

import dev.tally.store.CounterExhaustedException;
import dev.tally.store.CounterLimitException;
import dev.tally.store.MemoryFullException;
import dev.tally.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes errors as {@code application/problem+json} (RFC 9457) with a stable {@code code}, and turns every exception
 * into one. Exception messages of unknown failures and stack traces go to the log, never to the client.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    /** Seconds a client should wait before retrying after a 503. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** The problem a failure becomes; anything unexpected is logged and becomes a bare 500. */
    public static ProblemException of(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (failure instanceof CounterExhaustedException) {
            return new ProblemException(409, "COUNTER_EXHAUSTED", failure.getMessage());
        }
        if (failure instanceof CounterLimitException) {
            return new ProblemException(409, "TOO_MANY_COUNTERS", failure.getMessage());
        }
        if (failure instanceof MemoryFullException) {
            return new ProblemException(507, "STORAGE_FULL", "The server holds as much state as its memory budget "
                    + "allows; nothing was added. Try again later, when sessions have expired.");
        }
        if (failure instanceof StoreUnavailableException) {
            LOG.warning(failure.getMessage());
            return new ProblemException(503, "STORE_UNAVAILABLE",
                    "The store is not answering; the request may or may not have been applied. Try again.");
        }
        if (failure instanceof IOException) {
            // The network failed under a request, not Tally: a body that stopped coming (the container's read timeout,
            // reported to the error page after RequestBodyFilter answered) or a client that went away. The store's
            // failures arrive as StoreUnavailableException.
            LOG.log(Level.FINE, "The request could not be read", failure);
            return new ProblemException(408, "REQUEST_TIMEOUT",
                    "The request did not arrive in full: the client was too slow or went away.");
        }
        LOG.log(Level.SEVERE, "Unexpected failure", failure);
        return new ProblemException(500, "INTERNAL", "Something went wrong on our side.");
    }

    public static void write(HttpServletResponse response, Throwable failure) throws IOException {
        write(response, of(failure));
    }

    public static void write(HttpServletResponse response, ProblemException problem) throws IOException {
        write(response, problem.status(), problem.code(), problem.detail());
    }

    public static void write(HttpServletResponse response, int status, String code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (status == 503 || status == 507) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        Json.write(response, status, CONTENT_TYPE, body);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            case 507 -> "Insufficient Storage";
            default -> status >= 500 ? "Internal Server Error" : "Client Error";
        };
    }
}
