package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tally's web.xml declares the application {@code <distributable/>}: the container then refuses a session value
 * that cannot be serialized at {@code setAttribute} time, with a clear error, instead of dropping it silently when it
 * persists or replicates the session. Shown with a test-only servlet added to Tally's own context.
 */
class DistributableIT {

    static EmbeddedTomcat tomcat;

    @BeforeAll
    static void start() throws Exception {
        tomcat = EmbeddedTomcat.start((server, tally) -> {
            Tomcat.addServlet(tally, "storeAnything", new StoreAnythingServlet());
            tally.addServletMappingDecoded("/test/store-anything", "storeAnything");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void nonSerializableSessionValueIsRefusedAtSetAttribute() {
        HttpResponse<String> response = Http.withCookies(tomcat.base()).post("/test/store-anything");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("thing").containsIgnoringCase("serializable");
    }

    /** Tries to put a plain Object, which is not Serializable, in the session; answers what the container said. */
    static final class StoreAnythingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                request.getSession().setAttribute("thing", new Object());
                response.setStatus(200);
            } catch (IllegalArgumentException refused) {
                response.setStatus(422);
                response.getWriter().write(refused.getMessage());
            }
        }
    }
}
