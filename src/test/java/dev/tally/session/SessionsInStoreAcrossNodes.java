package dev.tally.session;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.support.Concurrently;
import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sessions held in the store, on three stock Tomcat 10.1 JVMs (the distribution exactly as it comes: no cluster, no
 * session manager set-up, no sticky routing) with only {@code TALLY_STORE} and {@code TALLY_SESSION_STORE} set, to the
 * same store for all three. Every request of one user goes to the next node in turn, and nothing a user's concurrent
 * requests do to their state is lost: the container-session cluster loses about half of the same load (ClusterIT).
 * A subclass names the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SessionsInStoreAcrossNodes {

    private static final int NODES = 3;

    private final List<StandaloneTomcat> nodes = new ArrayList<>();
    private final List<Http> clients = new ArrayList<>();

    /** The store URL all nodes share, for TALLY_STORE. */
    abstract String store() throws Exception;

    /** What the printed figures call the store. */
    abstract String storeName();

    @BeforeAll
    void startNodes() throws Exception {
        // This suite is about lost updates, not latency: on a loaded 2-core machine three JVMs and the store share the
        // cores, and a 503 after the default 2 s would make "exactly 500" unprovable (StoreOutageIT tests timeouts).
        Map<String, String> environment = Map.of("TALLY_STORE", store(), "TALLY_SESSION_STORE", "store",
                "TALLY_STORE_TIMEOUT", "20000");
        List<CompletableFuture<StandaloneTomcat>> starting = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int port = TestServers.freePort();
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return StandaloneTomcat.stock(port, environment);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<StandaloneTomcat> node : starting) {
            nodes.add(node.join());
        }
        nodes.forEach(node -> clients.add(Http.withoutCookies(node.base())));
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (StandaloneTomcat node : nodes) {
            node.close();
        }
    }

    /** A new user: one request creates the session; the cookie it answers is what every tab sends from then on. */
    private String newUser(int node) {
        HttpResponse<String> created = clients.get(node).post("/api/session/counter/reset");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        List<String> cookies = created.headers().allValues("Set-Cookie");
        assertThat(cookies).as("one cookie, Tally's, never the container's").hasSize(1);
        String cookie = cookies.get(0);
        assertThat(cookie).startsWith("TALLYSESSION=").contains("; Path=/tally", "; HttpOnly", "; SameSite=Lax")
                .doesNotContain("Secure");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void twentyUsersWithTenTabsEachCountExactlyToFiveHundredOverThreeNodes() throws Exception {
        int users = 20;
        int tabs = 10;
        int each = 50;
        List<String> cookies = new ArrayList<>();
        for (int user = 0; user < users; user++) {
            cookies.add(newUser(user % NODES));
        }
        Map<Integer, Integer> turn = new ConcurrentHashMap<>();

        // 200 clients (20 users x 10 tabs), 50 increments each, each tab's requests round robin over the nodes.
        List<long[]> answers = Concurrently.run(users * tabs, each, (client, request) -> {
            int user = client / tabs;
            int node = turn.merge(client, 1, Integer::sum) % NODES;
            HttpResponse<String> response = clients.get(node).post("/api/session/counter/inc",
                    "Cookie", cookies.get(user));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).as("no new session, no container session")
                    .isEmpty();
            return new long[] {user, value(response)};
        });

        Map<Long, List<Long>> byUser = answers.stream().collect(Collectors.groupingBy(a -> a[0],
                Collectors.mapping(a -> a[1], Collectors.toList())));
        List<Long> oneToFiveHundred = LongStream.rangeClosed(1, tabs * each).boxed().toList();
        for (int user = 0; user < users; user++) {
            assertThat(byUser.get((long) user)).as("user %d's acknowledged values", user)
                    .hasSize(tabs * each).doesNotHaveDuplicates();
            assertThat(new HashSet<>(byUser.get((long) user))).isEqualTo(new HashSet<>(oneToFiveHundred));
            for (int node = 0; node < NODES; node++) {
                assertThat(value(clients.get(node).get("/api/session/counter", "Cookie", cookies.get(user))))
                        .as("user %d read on node %d", user, node).isEqualTo(tabs * each);
            }
        }
        System.out.printf("%s: %d users x %d tabs x %d increments over %d stock Tomcat JVMs (round robin, no "
                + "stickiness, sessions in %s): every user exactly 1..%d, none lost%n", getClass().getSimpleName(),
                users, tabs, each, NODES, storeName(), tabs * each);
    }

    @Test
    void tenTabsWritingTheirOwnKeysOnEveryNodeKeepAllTen() throws Exception {
        String cookie = newUser(0);

        Concurrently.run(10, 20, (tab, request) -> {
            HttpResponse<String> put = clients.get((tab + request) % NODES).putJson("/api/session/data/tab-" + tab,
                    "{\"tab\":" + tab + ",\"write\":" + request + "}", "Cookie", cookie);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
            return null;
        });

        for (int tab = 0; tab < 10; tab++) {
            HttpResponse<String> read = clients.get(tab % NODES).get("/api/session/data/tab-" + tab, "Cookie", cookie);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(Http.json(read).get("write").asInt()).isEqualTo(19);
        }
    }

    @Test
    void twoTabsEditingOneValueWithIfMatchLoseNothingAndTheLoserGets412() {
        String cookie = newUser(0);
        Http a = clients.get(1);
        Http b = clients.get(2);
        assertThat(a.putJson("/api/session/data/prefs", "{\"theme\":\"light\"}", "Cookie", cookie).statusCode())
                .isEqualTo(204);
        HttpResponse<String> readA = a.get("/api/session/data/prefs", "Cookie", cookie);
        HttpResponse<String> readB = b.get("/api/session/data/prefs", "Cookie", cookie);
        String etag = readA.headers().firstValue("ETag").orElseThrow();
        assertThat(readB.headers().firstValue("ETag")).contains(etag);

        HttpResponse<String> writeA = a.putJson("/api/session/data/prefs", "{\"theme\":\"dark\"}", "Cookie", cookie,
                "If-Match", etag);
        HttpResponse<String> writeB = b.putJson("/api/session/data/prefs", "{\"theme\":\"light\",\"lang\":\"fr\"}",
                "Cookie", cookie, "If-Match", etag);

        assertThat(writeA.statusCode()).isEqualTo(204);
        assertThat(writeB.statusCode()).isEqualTo(412);
        assertThat(Http.json(writeB).get("code").asText()).isEqualTo("PRECONDITION_FAILED");
        HttpResponse<String> again = b.get("/api/session/data/prefs", "Cookie", cookie);
        HttpResponse<String> merged = b.putJson("/api/session/data/prefs", "{\"theme\":\"dark\",\"lang\":\"fr\"}",
                "Cookie", cookie, "If-Match", again.headers().firstValue("ETag").orElseThrow());
        assertThat(merged.statusCode()).isEqualTo(204);
        assertThat(Http.json(clients.get(0).get("/api/session/data/prefs", "Cookie", cookie)).toString())
                .isEqualTo("{\"theme\":\"dark\",\"lang\":\"fr\"}");
    }

    @Test
    void tenTabsAppendingToOneArrayWithIfMatchRetriesKeepEveryEntry() throws Exception {
        String cookie = newUser(0);
        assertThat(clients.get(0).putJson("/api/session/data/list", "[]", "Cookie", cookie).statusCode())
                .isEqualTo(204);
        Map<Integer, Integer> refused = new ConcurrentHashMap<>();

        // 10 tabs, 10 appends each, each append read-change-write with If-Match, retried on 412 until it lands.
        Concurrently.run(10, 10, (tab, request) -> {
            for (int attempt = 0; ; attempt++) {
                Http node = clients.get((tab + request + attempt) % NODES);
                HttpResponse<String> read = node.get("/api/session/data/list", "Cookie", cookie);
                List<String> entries = new ArrayList<>();
                Http.json(read).forEach(entry -> entries.add(entry.toString()));
                entries.add("\"" + tab + "-" + request + "\"");
                HttpResponse<String> write = node.putJson("/api/session/data/list", "[" + String.join(",", entries)
                        + "]", "Cookie", cookie, "If-Match", read.headers().firstValue("ETag").orElseThrow());
                if (write.statusCode() == 204) {
                    return null;
                }
                assertThat(write.statusCode()).as(write.body()).isEqualTo(412);
                refused.merge(tab, 1, Integer::sum);
            }
        });

        JsonNode list = Http.json(clients.get(1).get("/api/session/data/list", "Cookie", cookie));
        List<String> entries = new ArrayList<>();
        list.forEach(entry -> entries.add(entry.asText()));
        assertThat(entries).hasSize(100).doesNotHaveDuplicates();
        System.out.printf("%s: 10 tabs x 10 appends to one array with If-Match over %d nodes: all 100 kept; %d "
                + "writes refused with 412 and retried%n", getClass().getSimpleName(), NODES,
                refused.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void readsCreateNoSessionAndUnknownIdsAreNeverAdopted() {
        String forged = "TALLYSESSION=" + "A".repeat(43);
        for (Http client : clients) {
            HttpResponse<String> read = client.get("/api/session/counter", "Cookie", forged);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(value(read)).isZero();
            assertThat(read.headers().allValues("Set-Cookie")).isEmpty();
            HttpResponse<String> page = client.get("/");
            assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> write = clients.get(0).post("/api/session/counter/inc", "Cookie", forged);
        assertThat(value(write)).isEqualTo(1);
        String issued = write.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(issued).startsWith("TALLYSESSION=").doesNotContain("A".repeat(43));
    }

    @Test
    void aNodeKilledUnderLoadLosesNoAcknowledgedIncrementAndItsUsersCarryOnElsewhere() throws Exception {
        String cookie = newUser(1);
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(1);
        StandaloneTomcat killed = nodes.get(0);
        Thread killer = new Thread(() -> {
            try {
                halfway.await();
                killed.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        try {
            // One user, 10 tabs, 50 increments each, round robin; node 0 gets kill -9 once 150 have been sent. A
            // failed request is not retried: it may or may not have been applied, as the contract says.
            List<long[]> answers = Concurrently.run(10, 50, (tab, request) -> {
                if (sent.incrementAndGet() == 150) {
                    halfway.countDown();
                }
                int node = (tab + request) % NODES;
                try {
                    HttpResponse<String> response = clients.get(node).post("/api/session/counter/inc",
                            "Cookie", cookie);
                    return new long[] {node, response.statusCode() == 200 ? value(response) : -1};
                } catch (UncheckedIOException e) {
                    return new long[] {node, -1};
                }
            });
            killer.join();

            List<Long> acknowledged = answers.stream().filter(a -> a[1] > 0).map(a -> a[1]).toList();
            long failed = answers.size() - acknowledged.size();
            long survivorsFailed = answers.stream().filter(a -> a[0] != 0 && a[1] < 0).count();
            long end = value(clients.get(1).get("/api/session/counter", "Cookie", cookie));
            System.out.printf("%s node kill: 500 increments of one user over %d nodes, node 0 killed after 150 were "
                    + "sent: %d acknowledged (all distinct: %b), %d failed (%d of them on the survivors); the counter "
                    + "ends at %d%n", getClass().getSimpleName(), NODES, acknowledged.size(),
                    new HashSet<>(acknowledged).size() == acknowledged.size(), failed, survivorsFailed, end);
            assertThat(acknowledged).doesNotHaveDuplicates();
            assertThat(survivorsFailed).as("requests to the surviving nodes that failed").isZero();
            assertThat(end).as("every acknowledged increment is kept; a failed one may or may not have been applied")
                    .isBetween((long) acknowledged.size(), (long) answers.size());
            assertThat(acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThanOrEqualTo(end);
            assertThat(value(clients.get(2).post("/api/session/counter/inc", "Cookie", cookie))).isEqualTo(end + 1);
        } finally {
            killed.startProcess();
        }
        assertThat(value(clients.get(0).get("/api/session/counter", "Cookie", cookie))).as("the restarted node")
                .isGreaterThan(0);
    }
}
