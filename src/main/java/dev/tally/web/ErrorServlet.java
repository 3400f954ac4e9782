package dev.tally.web;

import dev.tally.problem.Problem;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's error page for every status and exception the container itself raises (an unknown static
 * path, a failed login, a refused role, an oversized request): a problem body instead of the container's page.
 * Reached only by an error dispatch; asked for directly, it is just not found.
 */
public class ErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            Problems.write(response, Problem.NOT_FOUND, "There is no such resource.");
            return;
        }
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable throwable) {
            Problems.write(response, throwable);
            return;
        }
        // Jetty dispatches some of its own errors (a request for WEB-INF/) without the status attribute; the
        // response carries the status all the same.
        Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = attribute instanceof Integer code ? code
                : response.getStatus() >= 400 ? response.getStatus() : 500;
        if (status == 501) {
            // The container's static-file servlet (app.js, style.css, unknown paths) answers a method it has never
            // heard of (PATCH, PROPFIND) with 501. For Tally that is a method the path does not support: 405.
            status = 405;
            response.setHeader("Allow", "GET, HEAD, OPTIONS");
        }
        Problems.write(response, status, Problem.ofContainerStatus(status), detail(status));
    }

    private static String detail(int status) {
        return switch (status) {
            case 401 -> "This needs a user with the role tally-admin.";
            case 403 -> "This needs the role tally-admin.";
            case 404 -> "There is no such resource.";
            default -> Problem.title(status) + ".";
        };
    }
}
