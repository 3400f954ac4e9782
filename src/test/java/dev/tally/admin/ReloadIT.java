package dev.tally.admin;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.RedisClusterProcesses;
import dev.tally.support.RedisSentinels;
import dev.tally.support.TestServers;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.catalina.Context;
import org.apache.catalina.session.StandardManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reloading the web application, as Tomcat Manager does, with each store: no thread of the old instance survives,
 * its class loader is collected (nothing pins it: pools, clients, drivers, thread-locals), sessions carry over
 * (serialized and read back by the new class loader), and counters in an external store continue where they were.
 */
class ReloadIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis", "redis-sentinel", "redis-cluster", "postgresql", "mariadb", "h2"})
    void reloadLeavesNoThreadAndFreesTheOldClassLoader(String kind) throws Exception {
        // Sentinel's pool has a listener thread per sentinel, and the cluster client a pool per node: a Sentinel set
        // and a cluster of the test's own.
        AutoCloseable servers = switch (kind) {
            case "redis-sentinel" -> RedisSentinels.start().orElse(null);
            case "redis-cluster" -> RedisClusterProcesses.start().orElse(null);
            default -> () -> { };
        };
        Assumptions.assumeTrue(servers != null, "no redis-server binary on this machine");
        String store = switch (kind) {
            case "redis" -> TestServers.redisUrl("ReloadIT");
            case "redis-sentinel" -> ((RedisSentinels) servers).url(0);
            case "redis-cluster" -> ((RedisClusterProcesses) servers).url();
            case "postgresql" -> TestServers.postgresUrl("ReloadIT");
            case "mariadb" -> TestServers.mariadbUrl("ReloadIT");
            case "h2" -> "jdbc:h2:mem:reload";
            default -> "memory";
        };
        try (servers; EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", store))) {
            Http browser = Http.withCookies(tomcat.base());
            String counter = "/api/counters/reload-" + UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 20; i++) {
                browser.post(counter);
                browser.post("/api/session/counter/inc");
                browser.putJson("/api/cache/reload-" + i, "{\"i\":" + i + "}");
                browser.get("/api/cache/reload-" + i);
            }
            Context context = tomcat.tallyContext();
            // Tomcat 10.1 keeps sessions across a reload only when its manager has a file to write them to.
            ((StandardManager) context.getManager()).setPathname("SESSIONS.ser");
            ClassLoader old = context.getLoader().getClassLoader();
            WeakReference<ClassLoader> oldLoader = new WeakReference<>(old);

            context.reload();

            assertThat(threadsOf(old)).as("threads of the old instance").isEmpty();
            old = null;
            assertThat(value(browser.get("/api/session/counter"))).as("the session survived the reload")
                    .isEqualTo(20);
            long expected = kind.equals("memory") || kind.equals("h2") ? 1 : 21;
            assertThat(value(browser.post(counter))).isEqualTo(expected);
            assertThat(collected(oldLoader)).as("the old class loader was collected").isTrue();
        }
    }

    /**
     * Sessions in the store: in Redis beside the counters ({@code store}), and in PostgreSQL as a store of their own
     * beside the memory store, whose pool must be closed too. The session survives the reload with no session file,
     * since no JVM held it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "postgresql"})
    void reloadWithSessionsInTheStoreLeavesNothingBehind(String kind) throws Exception {
        Map<String, String> settings = kind.equals("redis")
                ? Map.of("tally.store", TestServers.redisUrl("ReloadIT"), "tally.session.store", "store")
                : Map.of("tally.session.store", TestServers.postgresUrl("ReloadIT"));
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(settings)) {
            Http browser = Http.withCookies(tomcat.base());
            for (int i = 0; i < 20; i++) {
                browser.post("/api/session/counter/inc");
                browser.putJson("/api/session/data/reload-" + i, "{\"i\":" + i + "}");
            }
            Context context = tomcat.tallyContext();
            ClassLoader old = context.getLoader().getClassLoader();
            WeakReference<ClassLoader> oldLoader = new WeakReference<>(old);

            context.reload();

            assertThat(threadsOf(old)).as("threads of the old instance").isEmpty();
            old = null;
            assertThat(value(browser.get("/api/session/counter"))).as("the session is in the store").isEqualTo(20);
            assertThat(browser.get("/api/session/data/reload-19").body()).isEqualTo("{\"i\":19}\n");
            assertThat(browser.cookies()).extracting(cookie -> cookie.getName()).containsExactly("TALLYSESSION");
            assertThat(collected(oldLoader)).as("the old class loader was collected").isTrue();
        }
    }

    /** Live threads whose context class loader is the old one, after giving stopping threads a few seconds. */
    private static List<String> threadsOf(ClassLoader loader) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            names.clear();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.isAlive() && thread.getContextClassLoader() == loader) {
                    names.add(thread.getName());
                }
            }
            if (names.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return names;
    }

    private static boolean collected(WeakReference<ClassLoader> loader) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && loader.get() != null; attempt++) {
            List<byte[]> pressure = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pressure.add(new byte[1 << 20]);
            }
            pressure.clear();
            System.gc();
            Thread.sleep(100);
        }
        return loader.get() == null;
    }
}
