package dev.tally.session;

import static dev.tally.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.StoreProcess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A Redis holding sessions is killed with SIGKILL while ten tabs of one user increment their counter, and started
 * again on its data. With {@code appendonly yes} and {@code appendfsync always} nothing acknowledged is lost: the
 * session and its counter are there after the restart, no value is acknowledged twice, and the counter goes on above
 * every one. Meanwhile the user's requests get 503 {@code STORE_UNAVAILABLE}, never a session or value of the node's
 * own. Without persistence the session is gone after the crash and its user starts afresh: shown, since that is what
 * the setting is for.
 */
class SessionStoreCrashIT {

    private static final int TABS = 10;
    private static final int TIMEOUT_MILLIS = 2000;

    @Test
    void redisWithAppendfsyncAlwaysKeepsEveryAcknowledgedIncrementOfASessionThroughACrash() throws Exception {
        Optional<StoreProcess> server = StoreProcess.redis("--appendonly", "yes", "--appendfsync", "always");
        Assumptions.assumeTrue(server.isPresent(), "no redis-server binary on this machine");
        try (StoreProcess redis = server.get().start()) {
            System.out.println("SessionStoreCrashIT: a Redis server of its own at 127.0.0.1:" + redis.port());
            Run run = crashAndRestart(redis);

            assertThat(run.acknowledged).as("acknowledged values").doesNotHaveDuplicates();
            assertThat(run.newCookies).as("answers that made a new session").isZero();
            assertThat(run.acknowledged).as("acknowledged after the restart").anyMatch(v -> v > run.killedAt);
            assertThat(run.after).as("the next value after the run")
                    .isGreaterThan(run.acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertThat(run.failures).as("the crash failed some requests").isNotEmpty()
                    .allSatisfy(failure -> assertThat(failure).isIn("503 STORE_UNAVAILABLE", "no answer"));
            assertThat(run.failures).contains("503 STORE_UNAVAILABLE");
        }
    }

    @Test
    void redisWithoutPersistenceLosesTheSessionInACrashAndItsUserStartsAfresh() throws Exception {
        Optional<StoreProcess> server = StoreProcess.redis("--appendonly", "no");
        Assumptions.assumeTrue(server.isPresent(), "no redis-server binary on this machine");
        try (StoreProcess redis = server.get().start()) {
            Run run = crashAndRestart(redis);

            assertThat(run.newCookies).as("the session was gone after the restart: a new one was made").isPositive();
            assertThat(run.acknowledged).as("its counter started again from 1").contains(1L, 2L);
        }
    }

    /** Ten tabs for 9 s: 3 s of load, kill -9, 2 s down, restart on the same data, 4 s more. */
    private static Run crashAndRestart(StoreProcess redis) throws Exception {
        String url = "redis://127.0.0.1:" + redis.port();
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", url, "tally.session.store", "store",
                "tally.store.timeout", String.valueOf(TIMEOUT_MILLIS)))) {
            Http http = Http.withoutCookies(tomcat.base());
            HttpResponse<String> created = http.post("/api/session/counter/reset");
            String cookie = created.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<String> newCookies = Collections.synchronizedList(new ArrayList<>());
            ExecutorService tabs = Executors.newFixedThreadPool(TABS);
            long end = System.currentTimeMillis() + 9_000;
            for (int tab = 0; tab < TABS; tab++) {
                tabs.submit(() -> {
                    while (System.currentTimeMillis() < end) {
                        try {
                            HttpResponse<String> response = http.post("/api/session/counter/inc", "Cookie", cookie);
                            response.headers().firstValue("Set-Cookie").ifPresent(newCookies::add);
                            if (response.statusCode() == 200) {
                                acknowledged.add(json(response).path("value").asLong());
                            } else {
                                failures.add(response.statusCode() + " " + json(response).path("code").asText());
                            }
                        } catch (RuntimeException e) {
                            failures.add("no answer");
                        }
                    }
                });
            }
            Thread.sleep(3_000);
            long killedAt;
            synchronized (acknowledged) {
                killedAt = acknowledged.stream().mapToLong(Long::longValue).max().orElse(0);
            }
            redis.kill9();
            Thread.sleep(2_000);
            redis.start();
            tabs.shutdown();
            assertThat(tabs.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            long after = 0;
            for (int attempt = 0; attempt < 50 && after == 0; attempt++) { // the pool may still hold broken connections
                HttpResponse<String> next = http.post("/api/session/counter/inc", "Cookie", cookie);
                after = next.statusCode() == 200 ? json(next).path("value").asLong() : 0;
                Thread.sleep(after == 0 ? 200 : 0);
            }
            System.out.printf("SessionStoreCrashIT: one user's %d tabs, Redis killed and restarted: %d increments "
                    + "acknowledged (distinct: %b), highest before the kill about %d, %d failed %s, %d answers made a "
                    + "new session; next value %d%n", TABS, acknowledged.size(),
                    new HashSet<>(acknowledged).size() == acknowledged.size(), killedAt, failures.size(),
                    new HashSet<>(failures), newCookies.size(), after);
            return new Run(List.copyOf(acknowledged), List.copyOf(failures), newCookies.size(), killedAt, after);
        }
    }

    private record Run(List<Long> acknowledged, List<String> failures, int newCookies, long killedAt, long after) {
    }
}
