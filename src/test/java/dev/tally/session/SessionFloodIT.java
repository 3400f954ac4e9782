package dev.tally.session;

import static dev.tally.support.ProblemAssert.assertProblem;
import static dev.tally.support.StandaloneTomcat.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anonymous clients that never send a cookie back, on the Tomcat distribution with tomcat-conf as shipped (a cap of
 * 10 000 sessions): reading creates no session at all, and creating them stops at the cap (give or take the
 * requests racing Tomcat's check) with 503 TOO_MANY_SESSIONS, never a 500; the session ids are all different and
 * carry at least 128 bits. The number of sessions is Tomcat's own, read through the Manager's JMX proxy.
 */
class SessionFloodIT {

    private static final int CAP = 10_000;
    private static final int CLIENTS = 20;
    /** tally.session.newTimeout here: longer than the flood takes, so no flood session expires during it. */
    private static final Duration NEW_TIMEOUT = Duration.ofSeconds(20);
    /** Tomcat's background cycle (backgroundProcessorDelay): the sweep runs once a cycle with the shipped conf. */
    private static final Duration SWEEP = Duration.ofSeconds(10);
    private static StandaloneTomcat tomcat;
    private static Http tally;
    private static Http manager;

    @BeforeAll
    static void start() throws Exception {
        int port = TestServers.freePort();
        tomcat = StandaloneTomcat.withShippedConf(port,
                Map.of("tally.session.newTimeout", String.valueOf(NEW_TIMEOUT.toSeconds())), true);
        tally = Http.withoutCookies(tomcat.base());
        manager = Http.withoutCookies("http://localhost:" + port + "/manager");
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void fiftyThousandCookielessReadsCreateNoSession() throws Exception {
        List<String> paths = List.of("/", "/api/session/counter", "/api/session/data/k", "/api/counters/global",
                "/api/request");
        // 20 clients x 2500 reads = 50 000.
        List<Integer> statuses = Concurrently.run(20, 2_500,
                (client, request) -> tally.get(paths.get(request % paths.size())).statusCode());

        assertThat(statuses).hasSize(50_000).allMatch(status -> status == 200 || status == 404);
        assertThat(activeSessions()).isZero();
    }

    @Test
    void twentyThousandSessionCreatingPostsStopAtTheCapWith503() throws Exception {
        long before = activeSessions();
        // 20 clients x 1000 POSTs = 20 000, each without a cookie: each asks for a new session. Every client has a
        // connection of its own (Tomcat closes a connection after a 503).
        List<Http> clients = IntStream.range(0, CLIENTS).mapToObj(i -> Http.withoutCookies(tomcat.base())).toList();
        long start = System.nanoTime();
        List<HttpResponse<String>> answers = Concurrently.run(CLIENTS, 1_000,
                (client, request) -> clients.get(client).post("/api/session/counter/inc"));
        Duration flood = Duration.ofNanos(System.nanoTime() - start);
        assertThat(flood).as("the flood must end before its first sessions may expire, or the cap figure means "
                + "nothing").isLessThan(NEW_TIMEOUT);

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode,
                TreeMap::new, Collectors.counting()));
        System.out.println("SessionFloodIT: 20 000 cookieless POSTs with a cap of " + CAP + ": " + byStatus
                + ", active sessions " + activeSessions());
        assertThat(byStatus.keySet()).containsExactly(200, 503);
        // Tomcat checks its cap and then adds the session, not atomically: requests creating a session at the same
        // instant can each pass the check, so the cap may be passed by at most the clients but one.
        long created = byStatus.get(200);
        assertThat(created).isBetween(CAP - before, CAP - before + CLIENTS - 1);
        assertThat(activeSessions()).isEqualTo(before + created);
        // Every session created got an id of its own, of at least 128 bits (Tomcat: 16 random bytes, in hex).
        List<String> ids = answers.stream().filter(answer -> answer.statusCode() == 200)
                .map(answer -> answer.headers().firstValue("Set-Cookie").orElseThrow())
                .map(cookie -> cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'))).toList();
        assertThat(ids).hasSize((int) created).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9A-F]{32,}"));
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() == 503) {
                assertProblem(answer, 503, "TOO_MANY_SESSIONS");
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
            }
        }
        // Full for new sessions, not for anything else.
        assertThat(tally.post("/api/counters/flood").statusCode()).isEqualTo(200);

        // Nobody came back to the flood's sessions: they expire after the new-session timeout, and the sweep frees
        // the cap within one cycle after that.
        Duration limit = NEW_TIMEOUT.plus(SWEEP).plus(SWEEP);
        long sessions;
        while ((sessions = activeSessions()) > 0 && Duration.ofNanos(System.nanoTime() - start).compareTo(limit) < 0) {
            Thread.sleep(500);
        }
        Duration drained = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("SessionFloodIT: flood " + flood.toMillis() + " ms; sessions left " + sessions + " after "
                + drained.toMillis() + " ms from its start");
        assertThat(sessions).as("sessions left %s after the flood began", drained).isZero();
        HttpResponse<String> newcomer = tally.post("/api/session/counter/inc");
        assertThat(newcomer.statusCode()).isEqualTo(200);
        assertThat(newcomer.headers().firstValue("Set-Cookie")).isPresent();
    }

    private static long activeSessions() {
        String name = URLEncoder.encode("Catalina:type=Manager,host=localhost,context=/tally", StandardCharsets.UTF_8);
        String answer = manager.get("/jmxproxy/?get=" + name + "&att=activeSessions", "Authorization", OPS).body();
        assertThat(answer).startsWith("OK");
        return Long.parseLong(answer.substring(answer.lastIndexOf('=') + 1).strip());
    }
}
