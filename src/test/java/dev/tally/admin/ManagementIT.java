package dev.tally.admin;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.ServletContainer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.session.StandardManager;
import org.junit.jupiter.api.Test;

/**
 * The MBeans the container's admin console shows, read through the platform MBean server of the JVM the embedded
 * Tomcat runs in, as jconsole and Tomcat Manager's JMX proxy read them.
 */
class ManagementIT {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void counterAndStoreMBeansWorkAndAreGoneWhenTheApplicationStops() throws Exception {
        ObjectName counter = new ObjectName("dev.tally:type=Counter,context=/tally,name=jmx-it");
        ObjectName store = new ObjectName("dev.tally:type=Store,context=/tally");
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start()) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(server.isRegistered(store)).isTrue();
            assertThat(server.isRegistered(counter)).as("registered when first used").isFalse();
            for (int i = 0; i < 3; i++) {
                http.post("/api/counters/jmx-it");
            }

            assertThat(server.getAttribute(counter, "Name")).isEqualTo("jmx-it");
            assertThat(server.getAttribute(counter, "Value")).isEqualTo(3L);
            server.invoke(counter, "reset", null, null);
            assertThat(value(http.get("/api/counters/jmx-it"))).isZero();
            assertThat(value(http.post("/api/counters/jmx-it"))).isEqualTo(1);
            assertThat(server.getAttribute(counter, "Value")).isEqualTo(1L);

            assertThat(server.getAttribute(store, "Kind")).isEqualTo("memory");
            assertThat(server.getAttribute(store, "Reachable")).isEqualTo(true);
            assertThat(server.getAttribute(store, "Counters")).isEqualTo(1L);
            assertThat(server.getAttribute(store, "MaxCounters")).isEqualTo(100_000L);
            // 4 increments, 2 reads through JMX, 1 reset, 1 read over HTTP, the ping of Reachable, the count.
            assertThat((Long) server.getAttribute(store, "Operations")).isGreaterThanOrEqualTo(9L);
            assertThat(server.getAttribute(store, "Failures")).isEqualTo(0L);
        }

        assertThat(server.isRegistered(counter)).isFalse();
        assertThat(server.isRegistered(store)).isFalse();
    }

    @Test
    void twoDeploymentsInOneTomcatHaveTheirOwnMBeans() throws Exception {
        String war = ServletContainer.war().getAbsolutePath();
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start((embedded, tally) ->
                embedded.addWebapp("/tally-two", war))) {
            Http one = Http.withoutCookies(tomcat.base());
            Http two = Http.withoutCookies(tomcat.origin() + "/tally-two");
            one.post("/api/counters/shared-name");
            two.post("/api/counters/shared-name");
            two.post("/api/counters/shared-name");

            assertThat(server.getAttribute(new ObjectName("dev.tally:type=Counter,context=/tally,name=shared-name"),
                    "Value")).isEqualTo(1L);
            assertThat(server.getAttribute(new ObjectName(
                    "dev.tally:type=Counter,context=/tally-two,name=shared-name"), "Value")).isEqualTo(2L);
            assertThat(server.queryNames(new ObjectName("dev.tally:type=Store,*"), null)).extracting(
                    name -> name.getKeyProperty("context")).containsExactlyInAnyOrder("/tally", "/tally-two");
            assertThat(server.queryNames(new ObjectName("dev.tally:type=Sessions,*"), null)).hasSize(2);
        }
        assertThat(server.queryNames(new ObjectName("dev.tally:*"), null)).isEmpty();
    }

    @Test
    void sessionsMBeanFollowsChangesExpiryAndAReload() throws Exception {
        ObjectName sessions = new ObjectName("dev.tally:type=Sessions,context=/tally");
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start()) {
            Http first = Http.withCookies(tomcat.base());
            Http second = Http.withCookies(tomcat.base());
            assertThat(sessionState(sessions)).containsExactly(0L, 0L, 0L);

            first.post("/api/session/counter/inc");
            first.post("/api/session/counter/inc");
            first.putJson("/api/session/data/a", "1");
            first.putJson("/api/session/data/b", "2");
            first.putJson("/api/session/data/a", "3");
            second.post("/api/session/counter/dec");
            second.putJson("/api/session/data/c", "{}");
            Http.withoutCookies(tomcat.base()).get("/api/session/counter");
            assertThat(sessionState(sessions)).as("with counter, with data, data keys").containsExactly(2L, 2L, 3L);
            first.delete("/api/session/data/a");
            assertThat(sessionState(sessions)).containsExactly(2L, 2L, 2L);

            // Sessions written out and read back by the new instance: the new MBean counts them again.
            Context context = tomcat.tallyContext();
            ((StandardManager) context.getManager()).setPathname("SESSIONS.ser");
            context.reload();
            assertThat(sessionState(sessions)).containsExactly(2L, 2L, 2L);
            assertThat(value(first.get("/api/session/counter"))).isEqualTo(2);

            for (Session session : context.getManager().findSessions()) {
                if (session.getId().equals(second.sessionId())) {
                    session.expire();
                }
            }
            assertThat(sessionState(sessions)).containsExactly(1L, 1L, 1L);
        }
        assertThat(server.isRegistered(sessions)).isFalse();
    }

    @Test
    void cacheMBeanShowsWhatIsHeldAgainstItsBounds() throws Exception {
        ObjectName cache = new ObjectName("dev.tally:type=Cache,context=/tally");
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.cache.maxEntries", "3",
                "tally.cache.maxBytes", "3000", "tally.cache.maxValueBytes", "1000"))) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(List.of(server.getAttribute(cache, "Entries"), server.getAttribute(cache, "Bytes"),
                    server.getAttribute(cache, "MaxEntries"), server.getAttribute(cache, "MaxBytes")))
                    .containsExactly(0L, 0L, 3L, 3000L);

            assertThat(http.putJson("/api/cache/a", "[1,2,3]").statusCode()).isEqualTo(204);
            assertThat(http.putJson("/api/cache/b", "\"bee\"").statusCode()).isEqualTo(204);
            // 128 bytes an entry, the key, the JSON as stored.
            assertThat(server.getAttribute(cache, "Entries")).isEqualTo(2L);
            assertThat(server.getAttribute(cache, "Bytes")).isEqualTo((128L + 1 + 7) + (128 + 1 + 5));

            for (int i = 0; i < 20; i++) {
                http.putJson("/api/cache/more" + i, "1");
            }
            assertThat((Long) server.getAttribute(cache, "Entries")).isBetween(1L, 3L);
            assertThat(http.delete("/api/cache/a").statusCode()).isEqualTo(204);
        }
        assertThat(server.isRegistered(cache)).isFalse();
    }

    @Test
    void memoryBudgetMBeanShowsWhatClientsStateIsCharged() throws Exception {
        ObjectName budget = new ObjectName("dev.tally:type=MemoryBudget,context=/tally");
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.memory.budget", "20000000",
                "tally.cache.maxBytes", "1000000"))) {
            Http http = Http.withCookies(tomcat.base());
            assertThat(server.getAttribute(budget, "Limit")).isEqualTo(20_000_000L);
            long reserved = (Long) server.getAttribute(budget, "Used");
            assertThat(reserved).as("the cache's bound and the counter MBeans").isEqualTo(1_000_000L + 1000 * 2048);

            assertThat(http.putJson("/api/session/data/k", "\"" + "x".repeat(998) + "\"").statusCode()).isEqualTo(204);
            long withData = (Long) server.getAttribute(budget, "Used");
            assertThat(withData - reserved).isBetween(1000L + 1, 1000L + 1000);
            http.delete("/api/session/data/k");
            assertThat((Long) server.getAttribute(budget, "Used") - reserved).as("the session's share remains")
                    .isLessThan(1000L);
        }
        assertThat(server.isRegistered(budget)).isFalse();
    }

    private List<Long> sessionState(ObjectName sessions) throws JMException {
        return List.of((Long) server.getAttribute(sessions, "SessionsWithCounter"),
                (Long) server.getAttribute(sessions, "SessionsWithData"),
                (Long) server.getAttribute(sessions, "DataKeys"));
    }
}
