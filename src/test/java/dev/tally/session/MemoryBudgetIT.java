package dev.tally.session;

import static dev.tally.support.Http.value;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Anonymous clients try to fill the heap with session data, on the Tomcat distribution with the shipped tomcat-conf
 * and a heap of {@value #HEAP}: {@value #USERS} users (a cookie each, {@value #THREADS} at a time) each write
 * {@value #KEYS} keys of 16 KiB, {@value #USERS} x {@value #KEYS} x 16 KiB = about 188 MiB of values, more than the
 * heap has room for. Without a budget the JVM ran out of heap (the run raised OutOfMemoryError in the
 * connector's acceptor, after which no connection was accepted); with it every write is 204 until the budget (a
 * quarter of the heap) is reached and 507 {@code STORAGE_FULL} after, the server keeps serving, what was written is
 * still there, and the budget is free again once the sessions expire.
 */
class MemoryBudgetIT {

    private static final String HEAP = "160m";
    private static final int USERS = 120;
    private static final int KEYS = 100;
    private static final int THREADS = 6;
    private static final String VALUE = "\"" + "x".repeat(16 * 1024 - 2) + "\"";

    @Test
    void sessionDataPastTheBudgetIsRefusedWith507AndTheServerKeepsServing() throws Exception {
        int port = TestServers.freePort();
        try (StandaloneTomcat tomcat = StandaloneTomcat.withShippedConf(port, Map.of(), true, HEAP)) {
            Http anyone = Http.withoutCookies(tomcat.base());
            long global = value(anyone.post("/api/counters/global"));

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<Http> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(Http.withCookies(tomcat.base()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<HttpResponse<String>>> lastRefusals = new ArrayList<>();
            for (Http user : users) {
                lastRefusals.add(pool.submit(() -> {
                    HttpResponse<String> refused = null;
                    for (int key = 0; key < KEYS; key++) {
                        HttpResponse<String> put = user.putJson("/api/session/data/k" + key, VALUE);
                        statuses.computeIfAbsent(put.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (put.statusCode() != 204) {
                            refused = put;
                        }
                    }
                    return refused;
                }));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            System.out.println("MemoryBudgetIT: -Xmx" + HEAP + ", " + USERS * KEYS + " writes of 16 KiB: " + statuses);

            assertThat(statuses.keySet()).as("every write is stored or refused as full").containsOnly(204, 507);
            assertThat(statuses.get(204).get() * 16L * 1024).as("about a quarter of the heap was stored")
                    .isBetween(20L << 20, 42L << 20);
            for (Future<HttpResponse<String>> refusal : lastRefusals) {
                if (refusal.get() != null) {
                    assertProblem(refusal.get(), 507, "STORAGE_FULL");
                    assertThat(refusal.get().headers().firstValue("Retry-After")).isPresent();
                }
            }

            assertThat(anyone.get("/api/health").statusCode()).isEqualTo(200);
            assertThat(value(anyone.post("/api/counters/global"))).isEqualTo(global + 1);
            assertThat(users.get(0).get("/api/session/data/k0").body()).as("what was stored is kept")
                    .isEqualTo(VALUE + "\n");
            assertProblem(Http.withCookies(tomcat.base()).putJson("/api/session/data/late", VALUE), 507,
                    "STORAGE_FULL");

            // The users came back with their cookies, so their sessions would live the full 30 minutes: the operator
            // expires them through Tomcat Manager, and the budget is free again.
            HttpResponse<String> expired = Http.withoutCookies("http://localhost:" + port)
                    .get("/manager/text/expire?path=/tally&idle=0", "Authorization", StandaloneTomcat.OPS);
            assertThat(expired.body()).startsWith("OK");
            assertThat(Http.withCookies(tomcat.base()).putJson("/api/session/data/late", VALUE).statusCode())
                    .as("the expired sessions gave their memory back").isEqualTo(204);
            assertThat(tomcat.console()).doesNotContain("OutOfMemoryError");
        }
    }
}
