package dev.tally.counter;

import static dev.tally.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.StoreProcess;
import dev.tally.support.TestServers;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store fails mid-run while twenty clients keep incrementing one counter; every request is recorded as ok (with
 * its value), failed (503), or indeterminate (no answer), and checked like Jepsen's unique-ids checker.
 *
 * <p>Outage: a TCP proxy in this JVM (NetCrusher) between Tally and the machine's Redis or PostgreSQL goes silent,
 * then cuts every connection, then lets them through again: no acknowledged value twice, failures are 503
 * {@code STORE_UNAVAILABLE} within the store timeout plus one second, requests that need no store keep working,
 * health says DOWN, and service resumes by itself.
 *
 * <p>Crash: a Redis or PostgreSQL server of the test's own is killed with SIGKILL mid-run and started again on its
 * data. With the persistence the README recommends (Redis: {@code appendonly yes}, {@code appendfsync always};
 * PostgreSQL: its defaults) nothing acknowledged is lost: no value twice, and the counter goes on above every one.
 * With Redis persistence off the counter starts again from nothing, and numbers already acknowledged are handed out
 * again: the test shows that it happens, since that is what the setting is for.
 */
class StoreOutageIT {

    private static final int TIMEOUT_MILLIS = 2000;
    private static final int CLIENTS = 20;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "postgresql"})
    void outageFailsFastWithoutHandingOutAValueTwiceAndServiceResumes(String kind) throws Exception {
        int storePort = kind.equals("redis") ? URI.create(TestServers.redisUrl("StoreOutageIT")).getPort() : 5432;
        if (kind.equals("postgresql")) {
            TestServers.postgresUrl("StoreOutageIT");
        }
        NioReactor reactor = new NioReactor();
        TcpCrusher proxy = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", TestServers.freePort())
                .withConnectAddress("127.0.0.1", storePort).buildAndOpen();
        int proxyPort = proxy.getBindAddress().getPort();
        String store = kind.equals("redis") ? "redis://127.0.0.1:" + proxyPort + "/1"
                : "jdbc:postgresql://127.0.0.1:" + proxyPort + "/test?user=postgres";
        String counter = "/api/counters/outage-" + UUID.randomUUID().toString().substring(0, 8);

        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", store,
                "tally.store.timeout", String.valueOf(TIMEOUT_MILLIS)))) {
            Http http = Http.withoutCookies(tomcat.base());
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = incrementFor(14_000, http, counter, outcomes);

            Thread.sleep(2_000);
            proxy.freeze();                                    // the store goes silent
            Thread.sleep(4_000);
            HttpResponse<String> healthDuringOutage = http.get("/api/health");
            HttpResponse<String> noStoreNeeded = http.get("/api/request");
            proxy.closeAllPairs();                             // and every connection to it breaks
            Thread.sleep(1_000);
            proxy.unfreeze();                                  // it is back

            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            long finalValue = json(http.get(counter)).path("value").asLong();

            assertThat(healthDuringOutage.statusCode()).isEqualTo(503);
            assertThat(json(healthDuringOutage).path("status").asText()).isEqualTo("DOWN");
            assertThat(json(healthDuringOutage).path("store").asText()).isEqualTo(kind);
            assertThat(noStoreNeeded.statusCode()).isEqualTo(200);
            assertThat(json(http.get("/api/health")).path("status").asText()).isEqualTo("UP");

            List<Long> acknowledged = outcomes.stream().filter(o -> o.status == 200).map(o -> o.value).toList();
            List<Outcome> failed = outcomes.stream().filter(o -> o.status != 200).toList();
            Set<Long> unique = new HashSet<>(acknowledged);
            System.out.printf("StoreOutageIT %s: %d requests, %d ok, %d failed (503), %d indeterminate; "
                    + "slowest failure %d ms; final value %d%n", kind, outcomes.size(), acknowledged.size(),
                    failed.stream().filter(o -> o.status == 503).count(),
                    failed.stream().filter(o -> o.status == 0).count(),
                    failed.stream().mapToLong(o -> o.millis).max().orElse(0), finalValue);

            assertThat(unique).as("acknowledged values are unique").hasSameSizeAs(acknowledged);
            assertThat(acknowledged).allSatisfy(value -> assertThat(value).isBetween(1L, finalValue));
            assertThat(failed).as("the outage failed some requests").isNotEmpty();
            assertThat(failed).allSatisfy(outcome -> {
                assertThat(outcome.status).as("a failure is a 503 problem").isEqualTo(503);
                assertThat(outcome.code).isEqualTo("STORE_UNAVAILABLE");
                assertThat(outcome.retryAfter).isTrue();
                assertThat(outcome.millis).as("a failure comes within the timeout + 1 s")
                        .isLessThanOrEqualTo(TIMEOUT_MILLIS + 1_000);
            });
            Outcome last = outcomes.get(outcomes.size() - 1);
            assertThat(outcomes.subList(outcomes.size() - CLIENTS, outcomes.size()))
                    .as("service resumed by itself; last is %s", last).allSatisfy(o -> assertThat(o.status)
                            .isEqualTo(200));
        } finally {
            proxy.close();
            reactor.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "postgresql"})
    void storeKilledMidRunAndRestartedWithItsDataLosesNothingAcknowledged(String kind) throws Exception {
        Optional<StoreProcess> server = kind.equals("redis")
                ? StoreProcess.redis("--appendonly", "yes", "--appendfsync", "always")
                : StoreProcess.postgres();
        Assumptions.assumeTrue(server.isPresent(), "no " + kind + " server binaries on this machine");
        try (StoreProcess store = server.get().start()) {
            System.out.println("StoreOutageIT: a " + kind + " server of its own at 127.0.0.1:" + store.port());
            Crash crash = crashAndRestart(kind, store);

            assertThat(crash.duplicates()).as("acknowledged values handed out twice").isEmpty();
            assertThat(crash.acknowledged()).as("acknowledged after the restart").anyMatch(v -> v > crash.killedAt());
            assertThat(crash.acknowledged()).allSatisfy(value -> assertThat(value).isBetween(1L, crash.after() - 1));
            assertThat(crash.failed()).as("the crash failed some requests").isNotEmpty();
            assertThat(crash.failed()).allSatisfy(outcome -> {
                assertThat(outcome.status).as("a failure is a 503 problem").isEqualTo(503);
                assertThat(outcome.code).isEqualTo("STORE_UNAVAILABLE");
                assertThat(outcome.millis).as("a failure comes within the timeout + 1 s")
                        .isLessThanOrEqualTo(TIMEOUT_MILLIS + 1_000);
            });
        }
    }

    @Test
    void redisWithoutPersistenceHandsOutAcknowledgedNumbersAgainAfterACrash() throws Exception {
        Optional<StoreProcess> server = StoreProcess.redis("--appendonly", "no");
        Assumptions.assumeTrue(server.isPresent(), "no redis-server binary on this machine");
        try (StoreProcess store = server.get().start()) {
            System.out.println("StoreOutageIT: a Redis server of its own without persistence at 127.0.0.1:"
                    + store.port());
            Crash crash = crashAndRestart("redis", store);

            // What the operator setting appendonly yes prevents: the restarted Redis has no counter, so it counts
            // from 1 again, through numbers that were acknowledged before the crash.
            assertThat(crash.duplicates()).as("numbers handed out twice after a crash without persistence")
                    .isNotEmpty();
        }
    }

    /** {@value #CLIENTS} clients: 3 s of load, kill -9, 3 s down, restart, 5 s of load; then the checks' data. */
    private static Crash crashAndRestart(String kind, StoreProcess store) throws Exception {
        String url = kind.equals("redis") ? "redis://127.0.0.1:" + store.port()
                : "jdbc:postgresql://127.0.0.1:" + store.port() + "/postgres?user=postgres";
        String counter = "/api/counters/crash";
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", url,
                "tally.store.timeout", String.valueOf(TIMEOUT_MILLIS)))) {
            Http http = Http.withoutCookies(tomcat.base());
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = incrementFor(11_000, http, counter, outcomes);
            Thread.sleep(3_000);
            long killedAt;
            synchronized (outcomes) {
                killedAt = outcomes.stream().filter(o -> o.status == 200).mapToLong(o -> o.value).max().orElse(0);
            }
            store.kill9();
            Thread.sleep(3_000);
            store.start();
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            long after = 0;
            for (int attempt = 0; attempt < 50 && after == 0; attempt++) { // the pool may still hold broken connections
                HttpResponse<String> next = http.post(counter);
                after = next.statusCode() == 200 ? json(next).path("value").asLong() : 0;
                Thread.sleep(after == 0 ? 200 : 0);
            }

            List<Long> acknowledged = outcomes.stream().filter(o -> o.status == 200).map(o -> o.value).toList();
            Map<Long, Long> counts = acknowledged.stream()
                    .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
            List<Long> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .sorted().toList();
            List<Outcome> failed = outcomes.stream().filter(o -> o.status != 200).toList();
            System.out.printf("StoreOutageIT %s killed and restarted: %d requests, %d ok, %d failed (503), "
                    + "%d indeterminate; highest value before the kill about %d; slowest failure %d ms; next value "
                    + "after the run %d; values acknowledged twice: %d%n", kind, outcomes.size(), acknowledged.size(),
                    failed.stream().filter(o -> o.status == 503).count(),
                    failed.stream().filter(o -> o.status == 0).count(), killedAt,
                    failed.stream().mapToLong(o -> o.millis).max().orElse(0), after, duplicates.size());
            return new Crash(acknowledged, duplicates, failed, killedAt, after);
        }
    }

    /** {@value #CLIENTS} clients incrementing {@code counter} for {@code millis}, each outcome recorded. */
    private static ExecutorService incrementFor(long millis, Http http, String counter, List<Outcome> outcomes) {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long end = System.currentTimeMillis() + millis;
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    outcomes.add(Outcome.of(http, counter));
                }
            });
        }
        return clients;
    }

    record Crash(List<Long> acknowledged, List<Long> duplicates, List<Outcome> failed, long killedAt, long after) {
    }

    /** One request and what came of it: 200 with a value, a status with a problem code, or 0 for no answer. */
    record Outcome(int status, long value, String code, boolean retryAfter, long millis) {
        static Outcome of(Http http, String counter) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.post(counter);
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (response.statusCode() == 200) {
                    return new Outcome(200, json(response).path("value").asLong(), null, false, millis);
                }
                return new Outcome(response.statusCode(), 0, json(response).path("code").asText(),
                        response.headers().firstValue("Retry-After").isPresent(), millis);
            } catch (RuntimeException e) {
                return new Outcome(0, 0, "NO_ANSWER", false, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }
}
