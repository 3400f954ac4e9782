import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The benchmark's baseline: the cheapest servlet the same Tomcat can run, answering a JSON body of the size Tally's
 * counter answers. Lives only in the bench-only web application /noop that bench/run compiles and deploys beside
 * Tally; it is not part of the product WAR. With {@code ?session} it also creates an empty session, so that the heap a
 * bare Tomcat session costs can be subtracted from Tally's.
 */
@WebServlet("/*")
public class NoopServlet extends HttpServlet {

    private static final byte[] BODY = "{\"name\":\"bench\",\"value\":1}".getBytes();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("session") != null) {
            request.getSession(true);
        }
        response.setContentType("application/json");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
