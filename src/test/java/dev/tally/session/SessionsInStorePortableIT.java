package dev.tally.session;

import static dev.tally.support.Http.value;
import static dev.tally.support.Scrapes.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.Http;
import dev.tally.support.RedisCommands;
import dev.tally.support.TallyServer;
import dev.tally.support.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions held in Redis ({@code tally.session.store=store}), on Tomcat 10.1, Tomcat 11 and Jetty 12 alike: the
 * session rules of container sessions hold, the container never makes a session of its own, and one user's
 * concurrent requests lose nothing.
 */
class SessionsInStorePortableIT {

    private static final String COOKIE = "TALLYSESSION=";

    @RegisterExtension
    static final TallyServer tally = new TallyServer(Map.of("tally.store", redis(), "tally.session.store", "store",
            "tally.session.newTimeout", "2"));

    private static String redis() {
        try {
            return TestServers.redisUrl("SessionsInStorePortableIT");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> setCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie");
    }

    /** The {@code TALLYSESSION=...} pair of a response's cookie. */
    private static String sessionCookie(HttpResponse<String> response) {
        List<String> cookies = setCookies(response);
        assertThat(cookies).hasSize(1);
        return cookies.get(0).substring(0, cookies.get(0).indexOf(';'));
    }

    @Test
    void aWriteMakesTheSessionWithTallysCookieAndItsAttributes() {
        HttpResponse<String> created = tally.curl().post("/api/session/counter/inc");

        assertThat(value(created)).isEqualTo(1);
        assertThat(setCookies(created)).singleElement().asString()
                .matches("TALLYSESSION=[A-Za-z0-9_-]{43}; Path=/tally; HttpOnly; SameSite=Lax");
        String cookie = sessionCookie(created);
        assertThat(value(tally.curl().post("/api/session/counter/inc", "Cookie", cookie))).isEqualTo(2);
    }

    /** Sessions in the store show in /metrics: their round trips, the sessions started and live. */
    @Test
    void theSessionStoresOperationsAndSessionsAreMetrics() {
        String before = scrape();
        Http browser = tally.browser();
        for (int i = 1; i <= 3; i++) {
            assertThat(value(browser.post("/api/session/counter/inc"))).isEqualTo(i);
        }
        String after = scrape();

        Map<String, String> adds = Map.of("operation", "session.add", "outcome", "ok");
        assertThat(sample(after, "tally_store_operations_seconds_count", adds)
                - sample(before, "tally_store_operations_seconds_count", adds)).as("one round trip each, alone")
                .isBetween(2.0, 3.0);
        assertThat(sample(after, "tally_sessions_started_total", Map.of())
                - sample(before, "tally_sessions_started_total", Map.of())).isEqualTo(1);
        assertThat(sample(after, "tally_sessions_live", Map.of())).isGreaterThanOrEqualTo(1);
        String id = browser.cookies().stream().filter(cookie -> cookie.getName().equals("TALLYSESSION")).findFirst()
                .orElseThrow().getValue();
        assertThat(after).contains("store=\"redis\"").doesNotContain(id);
    }

    private static String scrape() {
        HttpResponse<String> scraped = tally.curl().get("/metrics", "Authorization",
                Http.basic(TallyServer.SCRAPER, TallyServer.SCRAPER_PASSWORD));
        assertThat(scraped.statusCode()).isEqualTo(200);
        return scraped.body();
    }

    @Test
    void noAnswerEverCarriesTheContainersSessionCookie() {
        Http browser = tally.browser();
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(browser.get("/"));
        answers.add(browser.send("POST", "/", "action=inc", "Content-Type", "application/x-www-form-urlencoded",
                "Origin", tally.origin()));
        answers.add(browser.get("/"));
        answers.add(browser.post("/api/session/counter/inc"));
        answers.add(browser.get("/api/session/counter"));
        answers.add(browser.putJson("/api/session/data/prefs", "{\"a\":1}"));
        answers.add(browser.get("/api/session/data/prefs"));
        answers.add(browser.get("/api/session/data/none"));
        answers.add(browser.delete("/api/session/data/prefs"));
        answers.add(browser.get("/api/no-such-thing"));
        answers.add(browser.get("/no-such-page"));
        answers.add(browser.send("PATCH", "/api/session/counter", "{}", "Content-Type", "application/json"));
        answers.add(browser.get("/api/request"));
        answers.add(browser.get("/api/health"));

        for (HttpResponse<String> answer : answers) {
            assertThat(setCookies(answer)).as(answer.request().method() + " " + answer.uri())
                    .noneMatch(cookie -> cookie.startsWith("JSESSIONID"));
        }
        assertThat(browser.cookies()).extracting(c -> c.getName()).containsExactly("TALLYSESSION");
        assertThat(value(browser.get("/api/session/counter"))).isEqualTo(2);
    }

    @Test
    void fiftyClientsSharingOneCookieLoseNoIncrement() throws Exception {
        String cookie = sessionCookie(tally.curl().post("/api/session/counter/reset"));

        List<Long> values = Concurrently.run(50, 20, (client, request) ->
                value(tally.curl().post("/api/session/counter/inc", "Cookie", cookie)));

        assertThat(new HashSet<>(values)).hasSize(1000)
                .isEqualTo(new HashSet<>(LongStream.rangeClosed(1, 1000).boxed().toList()));
        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", cookie))).isEqualTo(1000);
    }

    @Test
    void dataKeepsItsVersionAndAStaleIfMatchIsRefused() {
        Http browser = tally.browser();
        HttpResponse<String> put = browser.putJson("/api/session/data/prefs", "{\"theme\":\"dark\"}");
        assertThat(put.statusCode()).isEqualTo(204);
        String etag = put.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> read = browser.get("/api/session/data/prefs");
        assertThat(read.body()).isEqualTo("{\"theme\":\"dark\"}\n");
        assertThat(read.headers().firstValue("ETag")).contains(etag);

        assertThat(browser.putJson("/api/session/data/prefs", "{\"theme\":\"light\"}", "If-Match", etag).statusCode())
                .isEqualTo(204);
        HttpResponse<String> stale = browser.putJson("/api/session/data/prefs", "{\"theme\":\"blue\"}",
                "If-Match", etag);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(browser.putJson("/api/session/data/prefs", "1", "If-None-Match", "*").statusCode()).isEqualTo(412);
        assertThat(browser.send("DELETE", "/api/session/data/prefs", null, "If-Match", etag).statusCode())
                .isEqualTo(412);
        assertThat(browser.get("/api/session/data/prefs").body()).isEqualTo("{\"theme\":\"light\"}\n");
        assertThat(browser.delete("/api/session/data/prefs").statusCode()).isEqualTo(204);
        assertThat(browser.get("/api/session/data/prefs").statusCode()).isEqualTo(404);
    }

    @Test
    void readsAndForgedOrMalformedIdsCreateNothingAndAreNeverAdopted() {
        for (int i = 0; i < 200; i++) {
            assertThat(setCookies(tally.curl().get("/api/session/counter"))).isEmpty();
        }
        for (String forged : List.of("A".repeat(43), "short", "A".repeat(42) + "!", "")) {
            HttpResponse<String> read = tally.curl().get("/api/session/counter", "Cookie", COOKIE + forged);
            assertThat(value(read)).isZero();
            assertThat(setCookies(read)).isEmpty();
            HttpResponse<String> write = tally.curl().post("/api/session/counter/inc", "Cookie", COOKIE + forged);
            assertThat(value(write)).isEqualTo(1);
            assertThat(sessionCookie(write)).isNotEqualTo(COOKIE + forged);
        }
        String owned = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        HttpResponse<String> inUrl = tally.curl().get("/api/session/counter;jsessionid="
                + owned.substring(COOKIE.length()));
        assertThat(setCookies(inUrl)).isEmpty();
        if (inUrl.statusCode() == 200) {
            assertThat(value(inUrl)).as("an id in the URL is never read").isZero();
        }
    }

    @Test
    void theAdminConsoleCountsTheSessionsTheContainerDoesNotSee() throws Exception {
        // The embedded container runs in this JVM: its MBeans are on this platform MBean server.
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName sessions = new ObjectName("dev.tally:type=Sessions,context=/tally");
        long created = (Long) server.getAttribute(sessions, "Created");

        tally.curl().post("/api/session/counter/inc");
        tally.curl().post("/api/session/counter/inc");

        assertThat(server.getAttribute(sessions, "Store")).isEqualTo("redis");
        assertThat((Long) server.getAttribute(sessions, "Created")).isEqualTo(created + 2);
        assertThat((Long) server.getAttribute(sessions, "MaxSessions")).isEqualTo(10_000);
        assertThat((Long) server.getAttribute(sessions, "LiveSessions")).as("all nodes', from the store")
                .isPositive();
        assertThat((Long) server.getAttribute(sessions, "Refused")).isZero();
    }

    /** The Redis key of the session a {@code TALLYSESSION=...} cookie names: the SHA-256 of its id. */
    private static String key(String cookie) {
        return "tally:session:" + StoreSessions.storeId(cookie.substring(COOKIE.length()));
    }

    @Test
    void aSessionTheStoreHoldsInAnotherFormIsAFreshStartNeverAnError() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName sessions = new ObjectName("dev.tally:type=Sessions,context=/tally");
        long corruptBefore = (Long) server.getAttribute(sessions, "Corrupt");

        String notANumber = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        RedisCommands.run(redis(), new String[] {"HSET", key(notANumber), "n", "many"});
        HttpResponse<String> afresh = tally.curl().post("/api/session/counter/inc", "Cookie", notANumber);
        assertThat(afresh.statusCode()).isEqualTo(200);
        assertThat(value(afresh)).isEqualTo(1);
        assertThat(sessionCookie(afresh)).as("a new session").isNotEqualTo(notANumber);

        String anotherType = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        RedisCommands.run(redis(), new String[] {"DEL", key(anotherType)}, new String[] {"SET", key(anotherType),
            "x"});
        HttpResponse<String> read = tally.curl().get("/api/session/counter", "Cookie", anotherType);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(value(read)).isZero();

        String foreignFormat = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        RedisCommands.run(redis(), new String[] {"HSET", key(foreignFormat), "fmt", "9"});
        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", foreignFormat))).isZero();

        Http edited = tally.browser();
        assertThat(edited.putJson("/api/session/data/prefs", "{\"a\":1}").statusCode()).isEqualTo(204);
        String editedCookie = COOKIE + edited.cookies().get(0).getValue();
        RedisCommands.run(redis(), new String[] {"HSET", key(editedCookie), "d:prefs", "{\"a\":2}"});
        assertThat(edited.get("/api/session/data/prefs").statusCode()).as("a value Tally did not write")
                .isEqualTo(404);

        assertThat((Long) server.getAttribute(sessions, "Corrupt")).isEqualTo(corruptBefore + 4);
        assertThat(RedisCommands.run(redis(), new String[] {"EXISTS", key(notANumber)})).as("deleted")
                .isEqualTo(":0");
    }

    @Test
    void readsWithinTheTouchIntervalExtendTheSessionOnlyOnce() throws Exception {
        String cookie = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        assertThat(Long.parseLong(RedisCommands.run(redis(), new String[] {"PTTL", key(cookie)}).substring(1)))
                .as("new: tally.session.newTimeout").isLessThanOrEqualTo(2_000);
        tally.curl().get("/api/session/counter", "Cookie", cookie);
        long promoted = Long.parseLong(RedisCommands.run(redis(), new String[] {"PTTL", key(cookie)}).substring(1));
        assertThat(promoted).as("promoted to web.xml's 30 minutes").isGreaterThan(29 * 60_000L);

        long until = System.nanoTime() + 1_500_000_000L;
        int reads = 0;
        while (System.nanoTime() < until) {
            assertThat(value(tally.curl().get("/api/session/counter", "Cookie", cookie))).isEqualTo(1);
            reads++;
        }

        long left = Long.parseLong(RedisCommands.run(redis(), new String[] {"PTTL", key(cookie)}).substring(1));
        assertThat(left).as("after %d reads within tally.session.touchInterval (60 s): not extended again", reads)
                .isLessThanOrEqualTo(promoted - 1_000);
    }

    @Test
    void aNewSessionLivesTheNewTimeoutUntilItsClientComesBack() throws Exception {
        String neverBack = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        String cameBack = sessionCookie(tally.curl().post("/api/session/counter/inc"));
        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", cameBack))).isEqualTo(1);

        Thread.sleep(4_500);

        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", neverBack))).as("gone").isZero();
        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", cameBack))).as("kept").isEqualTo(1);
    }
}
