package dev.tally.admin;

import static dev.tally.support.Scrapes.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.DebianPackages;
import dev.tally.support.Http;
import dev.tally.support.TallyServer;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} as Prometheus scrapes it: guarded by a role unless the scraper's address is opened, valid by
 * Prometheus's own checker ({@code promtool check metrics}, Debian's {@code prometheus} package, installed as Chromium
 * is: {@link DebianPackages}), and its figures move with the requests made: requests by route and status, store
 * operations, increments, cache hits and misses, sessions.
 */
class MetricsPortableIT {

    private static final String SCRAPER = Http.basic(TallyServer.SCRAPER, TallyServer.SCRAPER_PASSWORD);
    /** Prometheus's checker, from Debian's prometheus package. */
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @RegisterExtension
    static final TallyServer tally = new TallyServer();

    /** The same WAR with /metrics opened to the loopback addresses, as to an internal Prometheus. */
    @RegisterExtension
    static final TallyServer opened = new TallyServer(Map.of("tally.metrics.openTo", "127.0.0.0/8, ::1"));

    @Test
    void metricsNeedTheScrapersRoleOrAnOpenedAddress() {
        Http http = tally.curl();
        HttpResponse<String> anonymous = http.get("/metrics");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(anonymous.body()).doesNotContain("jvm_");
        HttpResponse<String> viewer = http.get("/metrics", "Authorization",
                Http.basic(TallyServer.VIEWER, TallyServer.VIEWER_PASSWORD));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("tally-metrics").doesNotContain("jvm_");
        assertThat(http.get("/metrics", "Authorization",
                Http.basic(TallyServer.ADMIN, TallyServer.ADMIN_PASSWORD)).statusCode()).isEqualTo(200);

        HttpResponse<String> scraped = http.get("/metrics", "Authorization", SCRAPER);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain")
                .contains("version=0.0.4");
        assertThat(scraped.body()).contains("jvm_memory_used_bytes");

        HttpResponse<String> open = opened.curl().get("/metrics");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void figuresMoveWithTheRequestsMade() {
        Http http = tally.curl();
        String before = scrape();
        int increments = 25;
        for (int i = 0; i < increments; i++) {
            assertThat(http.post("/api/counters/metrics-moved").statusCode()).isEqualTo(200);
        }
        assertThat(http.putJson("/api/cache/metrics:hit", "{\"a\":1}").statusCode()).isEqualTo(204);
        assertThat(http.get("/api/cache/metrics:hit").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/cache/metrics:miss").statusCode()).isEqualTo(404);
        Http browser = tally.browser();
        assertThat(browser.post("/api/session/counter/inc").statusCode()).isEqualTo(200);
        String after = scrape();

        Map<String, String> posts = Map.of("method", "POST", "uri", "/api/counters/*", "status", "200",
                "outcome", "SUCCESS");
        assertThat(delta(before, after, "http_server_requests_seconds_count", posts)).isEqualTo(increments);
        assertThat(delta(before, after, "http_server_requests_seconds_bucket", with(posts, "le", "+Inf")))
                .isEqualTo(increments);
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                Map.of("uri", "/api/cache/*", "status", "404", "outcome", "CLIENT_ERROR"))).isEqualTo(1);
        // A request with a body is read asynchronously, then served on a second dispatch: timed to its real end.
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                Map.of("method", "PUT", "uri", "/api/cache/*", "status", "204"))).isEqualTo(1);
        assertThat(delta(before, after, "tally_store_operations_seconds_count",
                Map.of("operation", "increment", "outcome", "ok", "store", "memory"))).isEqualTo(increments);
        assertThat(delta(before, after, "tally_increments_total", Map.of())).isEqualTo(increments);
        assertThat(delta(before, after, "tally_cache_gets_total", Map.of("result", "hit"))).isEqualTo(1);
        assertThat(delta(before, after, "tally_cache_gets_total", Map.of("result", "miss"))).isEqualTo(1);
        assertThat(sample(after, "tally_cache_entries", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "tally_sessions_started_total", Map.of())).isEqualTo(1);
        assertThat(sample(after, "tally_sessions_holding", Map.of("state", "count"))).isGreaterThanOrEqualTo(1);
        assertThat(sample(after, "tally_http_requests_in_flight", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(sample(after, "jvm_threads_live_threads", Map.of())).isPositive();
        // A label never carries what a client named: the counter's name is nowhere in the scrape.
        assertThat(after).doesNotContain("metrics-moved").doesNotContain("metrics:hit");
    }

    /**
     * Requests with a body go asynchronous (read without blocking, then served on a second dispatch, or refused at
     * once): each still leaves the requests in flight when its answer is complete, and is timed with its real status.
     */
    @Test
    void asynchronousRequestsLeaveTheRequestsInFlightAndAreTimedWithTheirAnswer() throws InterruptedException {
        Http http = tally.curl();
        String before = scrape();
        for (int i = 0; i < 5; i++) {
            assertThat(http.putJson("/api/cache/in-flight-" + i, "{\"a\":" + i + "}").statusCode()).isEqualTo(204);
            assertThat(http.putJson("/api/cache/in-flight-bad", "{").statusCode()).isEqualTo(400);
            assertThat(tally.headersOnly("PUT", "/api/cache/in-flight-large", 10_000_000)).startsWith("HTTP/1.1 413");
        }
        Map<String, String> puts = Map.of("method", "PUT", "uri", "/api/cache/*");
        String after = scrape();
        assertThat(delta(before, after, "http_server_requests_seconds_count", with(puts, "status", "204")))
                .isEqualTo(5);
        assertThat(delta(before, after, "http_server_requests_seconds_count", with(puts, "status", "400")))
                .isEqualTo(5);
        // A refusal is flushed to the client before the container ends its request: give that end a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && (sample(after, "tally_http_requests_in_flight", Map.of()) != 1
                || delta(before, after, "http_server_requests_seconds_count", with(puts, "status", "413")) < 5)) {
            Thread.sleep(100);
            after = scrape();
        }
        assertThat(delta(before, after, "http_server_requests_seconds_count", with(puts, "status", "413")))
                .isEqualTo(5);
        // Only the scrape itself is in flight: none of the 15 was left counted.
        assertThat(sample(after, "tally_http_requests_in_flight", Map.of())).isEqualTo(1);
    }

    @Test
    void theScrapePassesPrometheusOwnChecker() throws Exception {
        tally.curl().post("/api/counters/checked");
        tally.curl().get("/api/cache/checked");
        DebianPackages.require("promtool", List.of(PROMTOOL), "prometheus");
        // promtool 2.42 (Debian 12) reads the Prometheus text format; OpenMetrics, offered to a scraper that asks
        // for it, is Micrometer's and the Prometheus client's own writer.
        for (String accept : new String[] {"text/plain", "*/*"}) {
            HttpResponse<String> scraped = tally.curl().get("/metrics", "Authorization", SCRAPER, "Accept", accept);
            assertThat(scraped.headers().firstValue("Content-Type").orElseThrow()).contains("version=0.0.4");
            assertThat(scraped.statusCode()).isEqualTo(200);
            Process check = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                    .start();
            try (OutputStream in = check.getOutputStream()) {
                in.write(scraped.body().getBytes(StandardCharsets.UTF_8));
            }
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("promtool check metrics (" + accept + "): exit " + check.exitValue() + ", "
                    + scraped.body().lines().count() + " lines" + (output.isBlank() ? ", no problem" : ":\n" + output));
            assertThat(output).as("promtool's findings").isBlank();
            assertThat(check.exitValue()).isZero();
        }
    }

    private static String scrape() {
        HttpResponse<String> scraped = tally.curl().get("/metrics", "Authorization", SCRAPER);
        assertThat(scraped.statusCode()).isEqualTo(200);
        return scraped.body();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        HashMap<String, String> more = new HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }
}
