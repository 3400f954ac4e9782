package dev.tally.counter;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The race Tally exists to prevent, shown deterministically. Beside Tally, the same Tomcat runs a naive web
 * application whose global counter is a plain field incremented with {@code param += 1}, split into its read and
 * its write. A barrier makes the requests interleave exactly: all read, then all write. The naive counter loses
 * every update but one; Tally's counter, hit by the same clients the same way, loses none.
 */
class NaiveGlobalRaceIT {

    private static final int CLIENTS = 100;

    static EmbeddedTomcat tomcat;
    static NaiveCounterServlet naive;

    @BeforeAll
    static void start() throws Exception {
        naive = new NaiveCounterServlet(CLIENTS);
        tomcat = EmbeddedTomcat.start((server, tally) -> {
            Context context = server.addContext("/naive", new File(".").getAbsolutePath());
            Tomcat.addServlet(context, "naive", naive);
            context.addServletMappingDecoded("/count", "naive");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void naiveGlobalLosesUpdatesWhenRequestsInterleaveAndTallysCounterLosesNone() throws Exception {
        Http naiveClient = Http.withoutCookies(tomcat.origin() + "/naive");
        List<Long> naiveAnswers = Concurrently.run(CLIENTS, 1, (client, request) -> value(naiveClient.post("/count")));

        Http tally = Http.withoutCookies(tomcat.base());
        List<Long> tallyAnswers = Concurrently.run(CLIENTS, 1,
                (client, request) -> value(tally.post("/api/counters/race")));

        // 100 requests, 100 acknowledged increments: the naive global says 1 to every client and ends at 1.
        assertThat(naiveAnswers).hasSize(CLIENTS).containsOnly(1L);
        assertThat(value(naiveClient.get("/count"))).isEqualTo(1);
        // Tally: 100 distinct values, 1 to 100, and the counter ends at 100.
        assertThat(tallyAnswers).hasSize(CLIENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, CLIENTS).boxed().toList());
        assertThat(value(tally.get("/api/counters/race"))).isEqualTo(CLIENTS);
        System.out.printf("Naive global: %d requests, distinct answers %s, final value %d. "
                + "Tally: %d requests, %d distinct answers, final value %d.%n", CLIENTS,
                naiveAnswers.stream().distinct().toList(), value(naiveClient.get("/count")), CLIENTS,
                tallyAnswers.stream().distinct().count(), value(tally.get("/api/counters/race")));
    }

    /**
     * The anti-pattern, in test code only: one servlet instance serves every request, so its field is a global
     * shared by all request threads, and {@code param += 1} is a read followed by a write.
     */
    static final class NaiveCounterServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        /** The global. Not volatile, not atomic, not locked: exactly what the seed question asks about. */
        int param;

        private final transient CyclicBarrier allHaveRead;

        NaiveCounterServlet(int clients) {
            this.allHaveRead = new CyclicBarrier(clients);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int read = param;              // param += 1, first half: read
            awaitOtherRequests();          // another request runs here, between the read and the write
            param = read + 1;              // param += 1, second half: write
            response.setContentType("application/json");
            response.getWriter().write("{\"value\":" + (read + 1) + "}");
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.getWriter().write("{\"value\":" + param + "}");
        }

        private void awaitOtherRequests() {
            try {
                allHaveRead.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("The clients did not all arrive", e);
            }
        }
    }
}
