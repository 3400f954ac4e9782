package dev.tally.counter;

import static dev.tally.support.Http.basic;
import static dev.tally.support.Http.value;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Global counters through the real WAR: every acknowledged value unique, none missing, under concurrency.
 */
class CounterPortableIT {

    private static final String ADMIN = basic(TallyServer.ADMIN, TallyServer.ADMIN_PASSWORD);

    @RegisterExtension
    static final TallyServer tally = new TallyServer();
    private final Http http = tally.curl();

    @Test
    void hundredClientsReleasedAtOnceGetExactlyOneToHundred() throws Exception {
        List<Long> values = Concurrently.run(100, 1, (client, request) -> value(http.post("/api/counters/burst")));

        assertThat(values).hasSize(100).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void twoHundredClientsTimesFiftyIncrementsGiveExactlyOneToTenThousand() throws Exception {
        List<Long> values = Concurrently.run(200, 50, (client, request) -> {
            HttpResponse<String> response = http.post("/api/counters/load");
            assertThat(response.statusCode()).isEqualTo(200);
            return value(response);
        });

        assertThat(values).hasSize(10_000).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 10_000).boxed().toList());
        assertThat(value(http.get("/api/counters/load"))).isEqualTo(10_000);
    }

    @Test
    void postAnswersNameAndNewValue() {
        HttpResponse<String> response = http.post("/api/counters/answer");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"name\":\"answer\",\"value\":1}\n");
    }

    @Test
    void counterNeverIncrementedReadsZeroAndReadingChangesNothing() {
        assertThat(value(http.get("/api/counters/untouched"))).isZero();
        assertThat(value(http.get("/api/counters/untouched"))).isZero();
        http.post("/api/counters/read-twice");
        assertThat(value(http.get("/api/counters/read-twice"))).isEqualTo(1);
        assertThat(value(http.get("/api/counters/read-twice"))).isEqualTo(1);
    }

    @Test
    void invalidNamesAreRefused() {
        String tooLong = "a".repeat(65);
        for (String path : List.of("/api/counters/" + tooLong, "/api/counters/sp%20ace", "/api/counters/",
                "/api/counters", "/api/counters/a/b", "/api/counters/%C3%A9t%C3%A9", "/api/counters/a+b")) {
            assertProblem(http.post(path), 400, "INVALID_NAME");
            assertProblem(http.get(path), 400, "INVALID_NAME");
        }
        assertThat(value(http.post("/api/counters/" + "a".repeat(64)))).isEqualTo(1);
        assertThat(value(http.post("/api/counters/Aa0._-"))).isEqualTo(1);
    }

    @Test
    void counterAtLongMaxAnswersTheLastValueThenRefusesAndNeverWraps() {
        HttpResponse<String> raised = http.putJson("/api/counters/edge", "{\"value\": " + (Long.MAX_VALUE - 2) + "}",
                "Authorization", ADMIN);
        assertThat(value(raised)).isEqualTo(Long.MAX_VALUE - 2);

        assertThat(value(http.post("/api/counters/edge"))).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(value(http.post("/api/counters/edge"))).isEqualTo(Long.MAX_VALUE);
        assertProblem(http.post("/api/counters/edge"), 409, "COUNTER_EXHAUSTED");
        assertProblem(http.post("/api/counters/edge"), 409, "COUNTER_EXHAUSTED");
        assertThat(value(http.get("/api/counters/edge"))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void raisingNeverLowersACounter() {
        for (int i = 0; i < 5; i++) {
            http.post("/api/counters/raise");
        }
        assertThat(value(http.putJson("/api/counters/raise", "{\"value\": 2}", "Authorization", ADMIN))).isEqualTo(5);
        assertThat(value(http.putJson("/api/counters/raise", "{\"value\": 100}", "Authorization", ADMIN)))
                .isEqualTo(100);
        assertThat(value(http.post("/api/counters/raise"))).isEqualTo(101);
    }

    @Test
    void raisingNeedsAWholeNonNegativeValue() {
        for (String body : List.of("{\"value\": -1}", "{\"value\": 1.5}", "{\"value\": \"7\"}", "{}", "[1]",
                "{\"value\": 9223372036854775808}")) {
            assertProblem(http.putJson("/api/counters/bad-raise", body, "Authorization", ADMIN), 400, "INVALID_VALUE");
        }
        assertProblem(http.putJson("/api/counters/bad-raise", "{", "Authorization", ADMIN), 400, "INVALID_JSON");
    }

    @Test
    void resetNeedsTheAdminRole() {
        http.post("/api/counters/guarded");
        http.post("/api/counters/guarded");

        HttpResponse<String> anonymous = http.delete("/api/counters/guarded");
        assertRefused(anonymous, 401, "UNAUTHORIZED");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm=\"Tally\""));
        assertRefused(http.delete("/api/counters/guarded", "Authorization",
                basic(TallyServer.ADMIN, "wrong")), 401, "UNAUTHORIZED");
        assertRefused(http.delete("/api/counters/guarded", "Authorization",
                basic(TallyServer.VIEWER, TallyServer.VIEWER_PASSWORD)), 403, "FORBIDDEN");
        assertRefused(http.putJson("/api/counters/guarded", "{\"value\": 10}"), 401, "UNAUTHORIZED");
        assertThat(value(http.get("/api/counters/guarded"))).isEqualTo(2);

        HttpResponse<String> reset = http.delete("/api/counters/guarded", "Authorization", ADMIN);
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(reset.body()).isEmpty();
        assertThat(value(http.get("/api/counters/guarded"))).isZero();
        assertThat(value(http.post("/api/counters/guarded"))).isEqualTo(1);
    }

    /** A refusal of the admin role: a problem on every container (Tally checks the role, not a constraint). */
    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertProblem(response, status, code);
    }
}
