import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * The benchmark's baseline: the cheapest servlet the same Tomcat can run, answering a JSON body of the size Tally's
 * counter answers. Lives only in the bench-only web application /noop that bench/run compiles and deploys beside
 * Tally; it is not part of the product WAR. With {@code ?session} it also creates an empty session, so that the heap a
 * bare Tomcat session costs can be subtracted from Tally's. With {@code ?count} it is the cheapest per-user counter in
 * a container session (created if the request has none): the baseline that tells Tomcat's session work from Tally's
 * own in the session counter's figure.
 */
@WebServlet("/*")
public class NoopServlet extends HttpServlet {

    private static final byte[] BODY = "{\"name\":\"bench\",\"value\":1}".getBytes();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("session") != null) {
            request.getSession(true);
        } else if (request.getParameter("count") != null) {
            count(request.getSession(true));
        }
        response.setContentType("application/json");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }

    /** The least a per-user counter in a container session can do: read, add one and write back, under a lock. */
    private static void count(HttpSession session) {
        synchronized (session) {
            Object value = session.getAttribute("n");
            session.setAttribute("n", value instanceof Long n ? n + 1 : 1L);
        }
    }
}
