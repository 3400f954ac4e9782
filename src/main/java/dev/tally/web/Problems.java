package dev.tally.web;

import dev.tally.ops.CurrentRequest;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import dev.tally.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes errors as {@code application/problem+json} (RFC 9457) with a stable {@code code} from {@link Problem}, and
 * turns every exception into one. Exception messages of unknown failures and stack traces go to the log, never to the
 * client.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** The problem a failure becomes; anything unexpected is logged and becomes a bare 500. */
    public static ProblemException of(Throwable failure) {
        if (failure instanceof StoreUnavailableException unavailable) {
            LOG.warning(CurrentRequest.tag() + unavailable.getMessage());
            return unavailable;
        }
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (failure instanceof IOException) {
            // The network failed under a request, not Tally: a body that stopped coming (the container's read timeout,
            // reported to the error page after RequestBodyFilter answered) or a client that went away. The store's
            // failures arrive as StoreUnavailableException.
            LOG.log(Level.FINE, CurrentRequest.tag() + "the request could not be read", failure);
            return new ProblemException(Problem.REQUEST_TIMEOUT,
                    "The request did not arrive in full: the client was too slow or went away.");
        }
        LOG.log(Level.SEVERE, CurrentRequest.tag() + "unexpected failure", failure);
        return new ProblemException(Problem.INTERNAL, "Something went wrong on our side.");
    }

    public static void write(HttpServletResponse response, Throwable failure) throws IOException {
        ProblemException problem = of(failure);
        write(response, problem.problem().status(), problem.problem(), problem.detail());
    }

    public static void write(HttpServletResponse response, Problem problem, String detail) throws IOException {
        write(response, problem.status(), problem, detail);
    }

    /** Tells the client when to try again: every 503 and 507, problems and health checks alike. */
    public static void retryLater(HttpServletResponse response) {
        response.setIntHeader("Retry-After", Problem.RETRY_AFTER_SECONDS);
    }

    /** Writes {@code problem} with {@code status}, which differs from the problem's own only for the container's. */
    public static void write(HttpServletResponse response, int status, Problem problem, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (Problem.retryLater(status)) {
            retryLater(response);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Problem.title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", problem.code());
        Json.write(response, status, CONTENT_TYPE, body);
    }
}
