package dev.tally.admin;

import static dev.tally.support.Http.json;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.problem.Problem;
import dev.tally.support.CapturedLog;
import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.TallyServer;
import dev.tally.support.TestServers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store that is down when Tally starts does not stop the deployment: health and readiness say DOWN naming the store
 * (liveness stays UP), requests that need it fail fast with 503, the others work, and the password in the store URL
 * appears in no log line.
 */
class StoreDownAtStartIT {

    private static final String PASSWORD = "s3cr3t-in-url";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "postgresql", "mariadb"})
    void storeDownAtStartIsReportedNotFatal(String kind) throws Exception {
        int closedPort = TestServers.freePort();
        String store = switch (kind) {
            case "redis" -> "redis://tally:" + PASSWORD + "@127.0.0.1:" + closedPort + "/0";
            case "postgresql" -> "jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=tally&password=" + PASSWORD;
            default -> "jdbc:mariadb://127.0.0.1:" + closedPort + "/x?user=tally&password=" + PASSWORD;
        };
        List<String> log;
        try (CapturedLog captured = CapturedLog.start()) {
            try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of("tally.store", store,
                    "tally.store.timeout", "1000"))) {
                Http http = Http.withoutCookies(tomcat.base());

                HttpResponse<String> health = http.get("/api/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(json(health).path("status").asText()).isEqualTo("DOWN");
                assertThat(json(health).path("store").asText()).isEqualTo(kind);
                HttpResponse<String> ready = http.get("/api/health/ready");
                assertThat(ready.statusCode()).as("readiness: take this node out of the balancer").isEqualTo(503);
                assertThat(json(ready).path("status").asText()).isEqualTo("DOWN");
                assertThat(http.get("/api/health/live").statusCode())
                        .as("liveness never asks the store: a store outage must not get every node restarted")
                        .isEqualTo(200);
                HttpResponse<String> increment = http.post("/api/counters/down");
                assertProblem(increment, 503, "STORE_UNAVAILABLE");
                assertThat(increment.headers().firstValue("Retry-After"))
                        .hasValue(String.valueOf(Problem.RETRY_AFTER_SECONDS));
                assertThat(health.headers().firstValue("Retry-After"))
                        .as("health says when to look again, as problems do")
                        .hasValue(String.valueOf(Problem.RETRY_AFTER_SECONDS));
                assertProblem(http.get("/api/cache/down"), 503, "STORE_UNAVAILABLE");
                assertThat(http.get("/api/request").statusCode()).isEqualTo(200);
                assertThat(http.post("/api/session/counter/inc").statusCode()).isEqualTo(200);
                HttpResponse<String> metrics = http.get("/metrics", "Authorization",
                        Http.basic(TallyServer.SCRAPER, TallyServer.SCRAPER_PASSWORD));
                assertThat(metrics.body()).contains("tally_store_operations_seconds_count{operation=\"increment\","
                        + "outcome=\"unavailable\",store=\"" + kind + "\"}").doesNotContain(PASSWORD);
                if (!kind.equals("redis")) {
                    assertThat(metrics.body()).as("HikariCP's own pool figures")
                            .contains("hikaricp_connections_max{pool=\"tally\"}");
                }
            }
            log = captured.lines();
        }
        assertThat(log).isNotEmpty().noneSatisfy(line -> assertThat(line).contains(PASSWORD));
        assertThat(log).as("the startup line names the store, and no memory-cache bounds it does not have")
                .anySatisfy(line -> assertThat(line).startsWith("Tally started: counters in the " + kind + " store"))
                .noneSatisfy(line -> assertThat(line).contains("cache bounds"));
    }
}
