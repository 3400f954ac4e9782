package dev.tally.request;

import static dev.tally.support.Http.basic;
import static dev.tally.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.support.Concurrently;
import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request context (request scope, Flask's {@code g}) through the real WAR.
 */
class RequestContextPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();
    private final Http http = tally.curl();

    @Test
    void hundredConcurrentRequestsEachSeeOnlyTheirOwnContext() throws Exception {
        List<String> mismatches = Concurrently.run(100, 5, (client, request) -> {
            String id = "client-" + client + "." + request;
            HttpResponse<String> response = http.get("/api/request", "X-Request-Id", id);
            JsonNode context = json(response);
            boolean own = response.statusCode() == 200 && context.path("id").asText().equals(id)
                    && response.headers().firstValue("X-Request-Id").orElse("").equals(id);
            return own ? null : id + " saw " + response.body();
        });

        assertThat(mismatches).hasSize(500).containsOnlyNulls();
    }

    @Test
    void contextDescribesThisRequest() {
        Instant before = Instant.now();
        JsonNode context = json(http.get("/api/request", "X-Request-Id", "abc.DEF_123-x"));

        assertThat(context.path("id").asText()).isEqualTo("abc.DEF_123-x");
        assertThat(context.path("method").asText()).isEqualTo("GET");
        assertThat(context.path("path").asText()).isEqualTo("/api/request");
        assertThat(Duration.between(before, Instant.parse(context.path("startedAt").asText())).abs())
                .isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void aValidTraceparentIsCarriedInTheContextAndReturnedOnTheResponse() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> response = http.get("/api/request", "traceparent", traceparent);

        assertThat(response.headers().firstValue("traceparent")).hasValue(traceparent);
        assertThat(json(response).path("traceparent").asText()).isEqualTo(traceparent);
        assertThat(json(response).path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        // A later version is read for its first four fields, and returned as version 00.
        HttpResponse<String> future = http.get("/api/request", "traceparent", "cc-" + traceparent.substring(3)
                + "-what-comes-later");
        assertThat(future.headers().firstValue("traceparent")).hasValue(traceparent);
        // On an error answer too, and on a counter increment, which uses no request context.
        assertThat(http.get("/api/nowhere", "traceparent", traceparent).headers().firstValue("traceparent"))
                .hasValue(traceparent);
        assertThat(http.post("/api/counters/traced", "traceparent", traceparent).headers().firstValue("traceparent"))
                .hasValue(traceparent);
    }

    @Test
    void anInvalidTraceparentIsIgnoredNeverEchoed() {
        String[] invalid = {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "<script>alert(1)</script>"};
        for (String bad : invalid) {
            HttpResponse<String> response = http.get("/api/request", "traceparent", bad);
            assertThat(response.headers().firstValue("traceparent")).as(bad).isEmpty();
            assertThat(json(response).path("traceparent").isNull()).as(bad).isTrue();
            assertThat(response.body()).doesNotContain("4bf92f35").doesNotContain("script");
        }
    }

    @Test
    void invalidOrMissingRequestIdIsReplacedByAFreshOne() {
        for (String bad : new String[] {"", "has space", "x".repeat(65), "semi;colon", "\u00e9"}) {
            HttpResponse<String> response = bad.isEmpty() ? http.get("/api/request")
                    : http.get("/api/request", "X-Request-Id", bad);
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).isNotEqualTo(bad).matches("[0-9a-f-]{36}");
            assertThat(json(response).path("id").asText()).isEqualTo(id);
        }
        String first = http.get("/api/request").headers().firstValue("X-Request-Id").orElseThrow();
        String second = http.get("/api/request").headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void everyResponseCarriesTheRequestIdErrorsIncluded() {
        List<HttpResponse<String>> responses = new ArrayList<>(List.of(
                http.get("/api/nowhere", "X-Request-Id", "err-1"),
                http.get("/missing.html", "X-Request-Id", "err-1"),
                http.post("/api/counters/bad%20name", "X-Request-Id", "err-1"),
                http.post("/api/counters/x", "X-Request-Id", "err-1", "Origin", "https://evil.example"),
                http.get("/", "X-Request-Id", "err-1")));
        responses.add(http.delete("/api/counters/x", "X-Request-Id", "err-1"));
        responses.add(http.delete("/api/counters/x", "X-Request-Id", "err-1", "Authorization",
                basic("nobody", "no")));
        for (HttpResponse<String> response : responses) {
            assertThat(response.headers().firstValue("X-Request-Id")).as(response.uri().toString()).hasValue("err-1");
        }
    }

    @Test
    void everyRequestContextIsReleasedExactlyOnceWhenItsRequestEnds() throws Exception {
        JsonNode before = settled();
        long openedBefore = before.path("opened").asLong();
        long releasedBefore = before.path("released").asLong();

        // 420 requests of every kind, errors and session writes included; 120 of them read their context, 60 of
        // those with a body, which is read asynchronously and dispatched again: still one context, released once.
        Concurrently.run(20, 21, (client, request) -> switch (request % 7) {
            case 0 -> http.post("/api/counters/lifecycle");
            case 1 -> http.get("/api/nowhere");
            case 2 -> http.post("/api/session/counter/inc");
            case 3 -> http.putJson("/api/cache/lifecycle", "{\"bad\":");
            case 4 -> http.putJson("/api/session/data/lifecycle", "[1,2]");
            case 5 -> http.send("GET", "/api/request", "a body, read before the context is made");
            default -> http.get("/api/request");
        });
        JsonNode after = settled();

        // settled() itself made requests that read their context; count them all: every context opened once and
        // released once.
        long opened = after.path("opened").asLong() - openedBefore;
        long released = after.path("released").asLong() - releasedBefore;
        assertThat(opened).isGreaterThanOrEqualTo(120);
        assertThat(released).isEqualTo(opened);
    }

    /** A request that never reads its context gets none: no bean, no callbacks, nothing to release. */
    @Test
    void requestsThatDoNotUseTheirContextOpenNone() {
        long before = json(http.get("/api/request")).path("contexts").path("opened").asLong();
        for (int i = 0; i < 50; i++) {
            http.post("/api/counters/no-context");
            http.get("/api/counters/no-context");
            http.get("/api/health");
        }
        long after = json(http.get("/api/request")).path("contexts").path("opened").asLong();

        assertThat(after - before).as("only the second GET /api/request").isEqualTo(1);
    }

    /**
     * Weld runs no request scope for the servlets of a counter, the session counter and a cache entry
     * ({@code ScopedRequests}). A URI that looks like one of those but that the container maps to
     * {@code /api/request} after decoding or normalising it must still find its scope: it is the servlet the request
     * is mapped to that decides, never the raw URI.
     */
    @Test
    void noRawPathLeadsToTheRequestContextWithoutItsScope() throws Exception {
        URI origin = URI.create(tally.origin());
        String context = URI.create(tally.base()).getPath();
        for (String path : List.of("/api/counters/../request", "/api/counters/x/../../request",
                "/api/cache/..;/request", "/api/counters/%2e%2e/request", "/api/session/counter/../../request",
                "/api/counters/.%2e/request")) {
            try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + context + path + " HTTP/1.1\r\nHost: "
                        + origin.getAuthority() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 5");
                if (answer.contains("\"contexts\"")) {
                    assertThat(answer).as(path + ": the request context answered").startsWith("HTTP/1.1 200")
                            .containsPattern("\"id\":\"[0-9a-f-]{36}\"");
                }
            }
        }
    }

    @Test
    void aRequestWithABodyGetsItsOwnContextOnTheDispatchThatServesIt() {
        HttpResponse<String> response = http.send("GET", "/api/request", "{}", "X-Request-Id", "with-a-body");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("id").asText()).isEqualTo("with-a-body");
        assertThat(json(response).path("path").asText()).isEqualTo("/api/request");
    }

    /**
     * The counts once every earlier request has finished: asked until only the asking request itself is open,
     * then corrected for it. A context released twice would make released exceed opened; one never released would
     * keep them apart for ever.
     */
    private JsonNode settled() throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            JsonNode contexts = json(http.get("/api/request")).path("contexts");
            long open = contexts.path("opened").asLong() - contexts.path("released").asLong();
            assertThat(open).isPositive();
            if (open == 1) {
                return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("opened", contexts.path("opened").asLong())
                        .put("released", contexts.path("released").asLong() + 1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Request contexts were never all released");
    }
}
