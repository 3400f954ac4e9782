package dev.tally.web;

/**
 * A request Tally refuses, with what the client gets: an HTTP status and a stable upper-case {@code code}, written
 * as an RFC 9457 problem. The detail is shown to the client, so it never holds internals.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ProblemException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
