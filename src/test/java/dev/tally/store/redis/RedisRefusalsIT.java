package dev.tally.store.redis;

import static dev.tally.support.Http.json;
import static dev.tally.support.Http.value;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.StoreProcess;
import dev.tally.support.TallyServer;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A Redis of the test's own that answers but refuses, the way a real one does when it is full, when its password is
 * rotated, when it has as many clients as it allows, or when its eviction policy could drop counters: every refusal
 * is a 503 {@code STORE_UNAVAILABLE} and health DOWN (never a 500), nothing already acknowledged is handed out again,
 * and service resumes when the operator puts it right. Each test leaves the server as it found it.
 */
class RedisRefusalsIT {

    private static final String VALUE_60_KB = "\"" + "x".repeat(60_000) + "\"";

    private static StoreProcess redis;

    @BeforeAll
    static void start() throws Exception {
        Optional<StoreProcess> server = StoreProcess.redis("--maxmemory-policy", "noeviction");
        Assumptions.assumeTrue(server.isPresent(), "no redis-server binary on this machine");
        redis = server.get().start();
        System.out.println("RedisRefusalsIT: a Redis of its own at 127.0.0.1:" + redis.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private static Jedis admin() {
        return new Jedis("127.0.0.1", redis.port());
    }

    private static EmbeddedTomcat tally(String url) throws Exception {
        return EmbeddedTomcat.start(Map.of("tally.store", url, "tally.store.timeout", "1000"));
    }

    private static void assertDown(Http http) {
        HttpResponse<String> health = http.get("/api/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(json(health).path("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void aFullRedisRefusesWritesWith503AndCountersGoOnOnceThereIsRoom() throws Exception {
        try (Jedis admin = admin(); EmbeddedTomcat tomcat = tally("redis://127.0.0.1:" + redis.port() + "/2")) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(value(http.post("/api/counters/full"))).isEqualTo(1);
            leaveRoom(admin, 2_000_000);
            try {
                int written = 0;
                HttpResponse<String> put;
                while ((put = http.putJson("/api/cache/fill-" + written, VALUE_60_KB)).statusCode() == 204) {
                    written++;
                    assertThat(written).as("a 2 MB maxmemory is reached").isLessThan(200);
                }
                assertProblem(put, 503, "STORE_UNAVAILABLE");
                System.out.println("RedisRefusalsIT: maxmemory reached after " + written + " cache writes of 60 KB");
                // A small write may still fit where a 60 KB one did not; with no room at all nothing is written.
                admin.configSet("maxmemory", "1");
                assertProblem(http.post("/api/counters/full"), 503, "STORE_UNAVAILABLE");
                assertProblem(http.putJson("/api/cache/small", "1"), 503, "STORE_UNAVAILABLE");
                assertDown(http);
            } finally {
                admin.configSet("maxmemory", "0");
            }
            assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
            assertThat(value(http.post("/api/counters/full"))).as("the refused increment was not applied")
                    .isEqualTo(2);
            admin.select(2);
            admin.flushDB();
        }
    }

    @Test
    void anEvictionPolicyThatCanDropCountersStopsIncrementsAndAVolatileOneKeepsThem() throws Exception {
        try (Jedis admin = admin(); EmbeddedTomcat tomcat = tally("redis://127.0.0.1:" + redis.port() + "/3")) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(value(http.post("/api/counters/kept"))).isEqualTo(1);
            try {
                admin.configSet("maxmemory-policy", "allkeys-lru");
                assertDown(http);
                assertProblem(http.post("/api/counters/kept"), 503, "STORE_UNAVAILABLE");
                assertThat(value(http.get("/api/counters/kept"))).as("reading still works").isEqualTo(1);

                // volatile-lru evicts only keys with a time to live: cache entries, never counters.
                admin.configSet("maxmemory-policy", "volatile-lru");
                assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
                leaveRoom(admin, 2_000_000);
                for (int i = 0; i < 100; i++) {
                    assertThat(http.putJson("/api/cache/evictable-" + i, VALUE_60_KB).statusCode())
                            .as("a cache write past maxmemory evicts older cache entries").isEqualTo(204);
                    assertThat(value(http.post("/api/counters/kept"))).as("the counter survives").isEqualTo(i + 2);
                }
                admin.select(3);
                assertThat(admin.keys("tally:cache:evictable-*")).as("cache entries were evicted").hasSizeLessThan(100);
            } finally {
                admin.configSet("maxmemory", "0");
                admin.configSet("maxmemory-policy", "noeviction");
                admin.flushDB();
            }
        }
    }

    @Test
    void aRotatedPasswordOrAFullClientTableIs503AndServiceResumes() throws Exception {
        try (Jedis admin = admin(); EmbeddedTomcat tomcat = tally("redis://127.0.0.1:" + redis.port() + "/4")) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(value(http.post("/api/counters/locked"))).isEqualTo(1);

            admin.configSet("requirepass", "rotated");
            admin.auth("rotated");
            killOtherClients(admin);
            try {
                // More than once: the first requests meet the killed connections; the next ones connect anew and are
                // refused by Redis itself.
                for (int i = 0; i < 5; i++) {
                    assertProblem(http.post("/api/counters/locked"), 503, "STORE_UNAVAILABLE");
                    assertProblem(http.putJson("/api/cache/locked", "1"), 503, "STORE_UNAVAILABLE");
                    assertDown(http);
                }
            } finally {
                admin.configSet("requirepass", "");
            }
            assertThat(value(http.post("/api/counters/locked"))).isEqualTo(2);

            admin.configSet("maxclients", "1");
            killOtherClients(admin);
            try {
                for (int i = 0; i < 5; i++) {
                    assertProblem(http.post("/api/counters/locked"), 503, "STORE_UNAVAILABLE");
                    assertDown(http);
                }
            } finally {
                admin.configSet("maxclients", "10000");
            }
            assertThat(value(http.post("/api/counters/locked"))).isEqualTo(3);
        }
    }

    /** Sets {@code maxmemory} to what Redis uses now plus {@code bytes}. */
    private static void leaveRoom(Jedis admin, long bytes) {
        long used = admin.info("memory").lines().filter(line -> line.startsWith("used_memory:"))
                .map(line -> Long.parseLong(line.substring("used_memory:".length()))).findFirst().orElseThrow();
        admin.configSet("maxmemory", String.valueOf(used + bytes));
    }

    private static void killOtherClients(Jedis admin) {
        admin.clientKill(new ClientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
    }

    /**
     * Anonymous clients inventing counter names cannot fill the store: past tally.store.maxCounters a new name is
     * 409 TOO_MANY_COUNTERS, and Redis holds no key for it; the counters already there count on.
     */
    @Test
    void inventedCounterNamesStopAtTheStoreLimit() throws Exception {
        try (Jedis admin = admin()) {
            admin.select(7);
            admin.flushDB();
            admin.set("tally:counter:older", "41");
            try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store",
                    "redis://127.0.0.1:" + redis.port() + "/7", "tally.store.maxCounters", "5"))) {
                Http http = Http.withoutCookies(tomcat.base());
                assertThat(value(http.post("/api/counters/older"))).as("a counter from before the limit counts on, "
                        + "and takes a place").isEqualTo(42);
                for (int i = 1; i < 5; i++) {
                    assertThat(value(http.post("/api/counters/invented-" + i))).isEqualTo(1);
                }
                for (int i = 5; i < 50; i++) {
                    assertProblem(http.post("/api/counters/invented-" + i), 409, "TOO_MANY_COUNTERS");
                }
                assertThat(value(http.post("/api/counters/invented-1"))).isEqualTo(2);
                assertThat(value(http.get("/api/counters/invented-5"))).isZero();
                assertThat(admin.keys("tally:counter:*")).hasSize(5);
                assertThat(admin.scard("tally:counters")).isEqualTo(5);
                javax.management.ObjectName store = new javax.management.ObjectName(
                        "dev.tally:type=Store,context=/tally");
                javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                assertThat(jmx.getAttribute(store, "Counters")).isEqualTo(5L);
                assertThat(jmx.getAttribute(store, "MaxCounters")).isEqualTo(5L);
                assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
            } finally {
                admin.flushDB();
            }
        }
    }

    /** A managed Redis often denies CONFIG: Tally cannot check the policy, warns, and counts on. */
    @Test
    void aRedisThatDeniesConfigStillServesCounters() throws Exception {
        try (Jedis admin = admin()) {
            admin.aclSetUser("no-config", "on", ">pw", "~*", "+@all", "-config");
            try (dev.tally.support.CapturedLog log = dev.tally.support.CapturedLog.start();
                    EmbeddedTomcat tomcat = tally("redis://no-config:pw@127.0.0.1:" + redis.port() + "/6")) {
                Http http = Http.withoutCookies(tomcat.base());
                assertThat(value(http.post("/api/counters/unchecked"))).isEqualTo(1);
                assertThat(value(http.post("/api/counters/unchecked"))).isEqualTo(2);
                assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
                assertThat(log.lines()).anyMatch(line -> line.contains("does not let Tally read maxmemory-policy"))
                        .noneMatch(line -> line.contains(":pw@"));
            } finally {
                admin.aclDelUser("no-config");
            }
        }
    }

    @Test
    void thePasswordCanComeFromAFileAndIsWrittenNowhere() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("redis-password", "");
        java.nio.file.Files.writeString(file, "from-a-file\n");
        try (Jedis admin = admin(); dev.tally.support.CapturedLog log = dev.tally.support.CapturedLog.start()) {
            admin.configSet("requirepass", "from-a-file");
            admin.auth("from-a-file");
            try {
                String url = "redis://127.0.0.1:" + redis.port() + "/5";
                try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", url,
                        "tally.store.passwordFile", file.toString()))) {
                    Http http = Http.withoutCookies(tomcat.base());
                    assertThat(value(http.post("/api/counters/secret"))).isEqualTo(1);
                    assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
                    // Nowhere Tally writes: its metrics (labels included), its MBeans, its answers.
                    HttpResponse<String> metrics = http.get("/metrics", "Authorization",
                            Http.basic(TallyServer.SCRAPER, TallyServer.SCRAPER_PASSWORD));
                    assertThat(metrics.statusCode()).isEqualTo(200);
                    assertThat(metrics.body()).contains("tally_increments_total").doesNotContain("from-a-file");
                    assertThat(tallyMBeans()).isNotEmpty().noneMatch(attribute -> attribute.contains("from-a-file"));
                }
                try (EmbeddedTomcat tomcat = tally(url)) {
                    assertProblem(Http.withoutCookies(tomcat.base()).post("/api/counters/secret"), 503,
                            "STORE_UNAVAILABLE");
                }
            } finally {
                admin.configSet("requirepass", "");
            }
            assertThat(log.lines()).as("log lines").isNotEmpty().noneMatch(line -> line.contains("from-a-file"));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    /** Every attribute of every Tally MBean, as the admin console shows it. */
    private static List<String> tallyMBeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> shown = new ArrayList<>();
        for (ObjectName name : server.queryNames(new ObjectName("dev.tally:*"), null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                shown.add(name + " " + attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
            }
        }
        return shown;
    }

    @Test
    void aDatabaseTheServerDoesNotHaveIs503NotAFailure() throws Exception {
        try (EmbeddedTomcat tomcat = tally("redis://127.0.0.1:" + redis.port() + "/99")) {
            Http http = Http.withoutCookies(tomcat.base());
            assertProblem(http.post("/api/counters/nowhere"), 503, "STORE_UNAVAILABLE");
            assertProblem(http.get("/api/cache/nowhere"), 503, "STORE_UNAVAILABLE");
            assertDown(http);
        }
    }
}
