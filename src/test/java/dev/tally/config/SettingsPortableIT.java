package dev.tally.config;

import static dev.tally.support.Http.value;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Settings given as context init-parameters (what a Tomcat {@code <Parameter>} sets) take effect in the real WAR.
 */
class SettingsPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer(Map.of(
                "tally.memory.maxCounters", "3",
                "tally.cache.maxValueBytes", "100",
                "tally.session.maxKeys", "2",
                "tally.session.maxValueBytes", "10",
                "tally.json.maxDepth", "3"));
    private final Http http = tally.browser();

    @Test
    void memoryStoreHoldsAtMostMaxCounters() {
        http.post("/api/counters/one");
        http.post("/api/counters/two");
        http.post("/api/counters/three");

        assertProblem(http.post("/api/counters/four"), 409, "TOO_MANY_COUNTERS");
        assertThat(value(http.post("/api/counters/one"))).isEqualTo(2);
        assertThat(value(http.get("/api/counters/four"))).isZero();
    }

    @Test
    void cacheValueLimitAndJsonDepthFollowTheirSettings() {
        assertThat(http.putJson("/api/cache/k", "\"" + "x".repeat(98) + "\"").statusCode()).isEqualTo(204);
        assertProblem(http.putJson("/api/cache/k", "\"" + "x".repeat(99) + "\""), 413, "TOO_LARGE");
        assertThat(http.putJson("/api/cache/k", "[[[1]]]").statusCode()).isEqualTo(204);
        assertProblem(http.putJson("/api/cache/k", "[[[[1]]]]"), 400, "INVALID_JSON");
    }

    @Test
    void sessionDataLimitsFollowTheirSettings() {
        assertThat(http.putJson("/api/session/data/a", "1").statusCode()).isEqualTo(204);
        assertThat(http.putJson("/api/session/data/b", "1234567890").statusCode()).isEqualTo(204);
        assertProblem(http.putJson("/api/session/data/b", "12345678901"), 413, "TOO_LARGE");
        assertProblem(http.putJson("/api/session/data/c", "1"), 409, "TOO_MANY_KEYS");
    }
}
