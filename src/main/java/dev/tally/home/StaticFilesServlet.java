package dev.tally.home;

import dev.tally.web.ApiServlet;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Every path no other servlet claims (the default mapping): the page's static files ({@code app.js},
 * {@code style.css}) and the 404 of an unknown path. GET and HEAD go to the container's own static-file servlet, by
 * its name {@code default} (Tomcat's and Jetty's alike); any other method gets 405 with {@code Allow}, as on every
 * path of Tally's.
 *
 * <p>Why not leave the default mapping to the container: its servlet is not async-supported, so a request with a body
 * to a static path could not have its body read without blocking (RequestBodyFilter) and a slow client would hold a
 * request thread; and it answered {@code POST /app.js} with the file.
 */
@WebServlet(value = "/", asyncSupported = true)
public class StaticFilesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        RequestDispatcher files = getServletContext().getNamedDispatcher("default");
        if (files == null) {
            response.sendError(404);
            return;
        }
        files.forward(request, response);
    }
}
