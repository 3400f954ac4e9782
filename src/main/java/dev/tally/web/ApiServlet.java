package dev.tally.web;

import dev.tally.ops.InFlight;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * What every servlet of Tally's shares, the API's and the home page's: a method its path does not support gets 405
 * with {@code Allow}, {@code OPTIONS} answers with {@code Allow}, a path it does not know gets 404, and any failure
 * becomes a problem response (never a stack trace or a container error page). Subclasses are thin: they translate
 * between HTTP and a service.
 */
public abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient InFlight inFlight;

    /**
     * The methods the request's path supports, besides HEAD (with GET) and OPTIONS; empty when this servlet does
     * not know the path.
     */
    protected abstract Set<String> methods(HttpServletRequest request);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            Set<String> methods = methods(request);
            if (methods.isEmpty()) {
                throw new ProblemException(Problem.NOT_FOUND, "There is no such resource.");
            }
            String method = request.getMethod();
            if (method.equals("OPTIONS")) {
                response.setHeader("Allow", allow(methods));
                response.setStatus(204);
            } else if (methods.contains(method) || (method.equals("HEAD") && methods.contains("GET"))) {
                super.service(request, response);
            } else {
                response.setHeader("Allow", allow(methods));
                throw new ProblemException(Problem.METHOD_NOT_ALLOWED,
                        method + " is not supported here; allowed: " + allow(methods) + ".");
            }
        } catch (RuntimeException e) {
            Problems.write(response, e);
        }
    }

    /**
     * The container is taking this servlet out of service: the application is stopping, and readiness says so from
     * now on (the first servlet the container stops is the earliest any application hears of it).
     */
    @Override
    public void destroy() {
        if (inFlight != null) {
            inFlight.stopping();
        }
        super.destroy();
    }

    static String allow(Set<String> methods) {
        StringBuilder allow = new StringBuilder();
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"}) {
            boolean allowed = methods.contains(method) || method.equals("OPTIONS")
                    || (method.equals("HEAD") && methods.contains("GET"));
            if (allowed) {
                allow.append(allow.length() == 0 ? "" : ", ").append(method);
            }
        }
        return allow.toString();
    }
}
