package dev.tally.problem;

/**
 * Every way Tally refuses a request, in one place: the stable {@code code} a client may rely on, the HTTP status and
 * its title. docs/api.md lists the same codes (a test keeps the two equal). Services do not choose statuses: they throw
 * a {@link ProblemException} subclass that names one of these, and the web layer writes it as an RFC 9457 problem.
 */
public enum Problem {

    /** A request the container could not parse (a malformed chunked body). */
    BAD_REQUEST(400),
    INVALID_JSON(400),
    INVALID_NAME(400),
    INVALID_KEY(400),
    INVALID_VALUE(400),
    INVALID_TTL(400),
    INVALID_ACTION(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    CROSS_ORIGIN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TIMEOUT(408),
    COUNTER_EXHAUSTED(409),
    TOO_MANY_COUNTERS(409),
    TOO_MANY_KEYS(409),
    /** A conditional write ({@code If-Match}, {@code If-None-Match}) whose condition did not hold. */
    PRECONDITION_FAILED(412),
    TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Another 4xx the container raised itself; written with the container's status. */
    CLIENT_ERROR(400),
    INTERNAL(500),
    /** The container's own 503. */
    UNAVAILABLE(503),
    STORE_UNAVAILABLE(503),
    TOO_MANY_SESSIONS(503),
    STORAGE_FULL(507);

    /**
     * Seconds a client should wait before trying again after a 503 or 507, sent as {@code Retry-After} by every answer
     * that says "not now", health checks included.
     */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final int status;

    Problem(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The stable code clients see: the constant's name. */
    public String code() {
        return name();
    }

    /** Whether an answer with {@code status} says "try again later" and so carries {@code Retry-After}. */
    public static boolean retryLater(int status) {
        return status == 503 || status == 507;
    }

    /** The problem for an error status the container raised itself, without an exception of Tally's. */
    public static Problem ofContainerStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? CLIENT_ERROR : INTERNAL;
        };
    }

    /** The title of an answer with {@code status}: the HTTP reason phrase. */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            case 507 -> "Insufficient Storage";
            default -> status >= 500 ? "Internal Server Error" : "Client Error";
        };
    }

    public String title() {
        return title(status);
    }
}
