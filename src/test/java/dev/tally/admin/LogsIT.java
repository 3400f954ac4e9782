package dev.tally.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads, from a real Tomcat with tomcat-conf's files: the access log (plain, and the json-logs
 * variant's one JSON object per line) writes each request's id and its valid W3C traceparent beside it, never an
 * invalid one; Tally's own log lines about a request start with that request's id.
 */
class LogsIT {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    /** Uppercase hex: not a valid traceparent, so never echoed nor logged. */
    private static final String INVALID = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theJsonAccessLogHasOneObjectPerRequestWithItsIdTraceAndTime() throws Exception {
        int port = TestServers.freePort();
        try (StandaloneTomcat tomcat = StandaloneTomcat.withVariant("json-logs", Map.of("tally.http.port",
                String.valueOf(port)))) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(http.post("/api/counters/logged", "X-Request-Id", "traced-1", "traceparent", TRACEPARENT)
                    .headers().firstValue("traceparent")).hasValue(TRACEPARENT);
            assertThat(http.get("/api/request", "X-Request-Id", "untraced-2", "traceparent", INVALID)
                    .headers().firstValue("traceparent")).isEmpty();
            List<JsonNode> lines = untilLogged(tomcat.logs(), ".json", 2);

            JsonNode traced = lines.stream().filter(line -> line.path("path").asText().endsWith("/logged"))
                    .findFirst().orElseThrow();
            assertThat(traced.path("method").asText()).isEqualTo("POST");
            assertThat(traced.path("statusCode").asText()).isEqualTo("200");
            assertThat(traced.path("elapsedTime").asLong()).isPositive();
            assertThat(traced.path("responseHeaders").path("X-Request-Id").asText()).isEqualTo("traced-1");
            assertThat(traced.path("responseHeaders").path("traceparent").asText()).isEqualTo(TRACEPARENT);
            JsonNode untraced = lines.stream().filter(line -> line.path("path").asText().endsWith("/request"))
                    .findFirst().orElseThrow();
            assertThat(untraced.path("responseHeaders").path("X-Request-Id").asText()).isEqualTo("untraced-2");
            assertThat(untraced.toString()).doesNotContain("4BF92F35").doesNotContain("4bf92f35");
        }
    }

    @Test
    void thePlainAccessLogAndTallysOwnLinesCarryTheRequestId() throws Exception {
        int port = TestServers.freePort();
        String store = "redis://127.0.0.1:" + TestServers.freePort() + "/0";
        try (StandaloneTomcat tomcat = StandaloneTomcat.withShippedConf(port, Map.of("tally.store", store,
                "tally.store.timeout", "500"), true)) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(http.post("/api/counters/down", "X-Request-Id", "store-down-7", "traceparent", TRACEPARENT)
                    .statusCode()).isEqualTo(503);
            String line = untilLoggedLines(tomcat.logs(), ".txt", 1).stream()
                    .filter(l -> l.contains("/api/counters/down")).findFirst().orElseThrow();
            assertThat(line).contains(" 503 ").endsWith(" store-down-7 " + TRACEPARENT);
            assertThat(tomcat.console()).as("Tally's warning about the store names the request it served")
                    .containsPattern("request store-down-7: (?i).*redis");
        }
    }

    /** The variant is the default server.xml with one valve changed, so that the two never drift apart. */
    @Test
    void theJsonVariantIsTheDefaultServerXmlWithOnlyItsAccessLogChanged() throws Exception {
        String plain = Files.readString(Path.of("tomcat-conf/server.xml"));
        String json = Files.readString(Path.of("tomcat-conf/json-logs/server.xml"));
        Pattern valve = Pattern.compile("(?s)\\n        <!-- [^\\n]*\\n(?:             [^\\n]*\\n)*?"
                + "        <Valve className=\"org.apache.catalina.valves.(?:Json)?AccessLogValve\".*?/>");
        Pattern header = Pattern.compile("(?s)^(<\\?xml[^\\n]*\\n<!-- )The json-logs variant.*?\\n     (Tomcat 10)");
        assertThat(valve.matcher(json).find()).isTrue();
        assertThat(header.matcher(json).find()).isTrue();
        String jsonWithoutItsChanges = valve.matcher(header.matcher(json).replaceFirst("$1$2")).replaceFirst("");
        assertThat(jsonWithoutItsChanges).isEqualTo(valve.matcher(plain).replaceFirst(""));
        assertThat(json).contains("JsonAccessLogValve").doesNotContain("valves.AccessLogValve");
    }

    private static List<JsonNode> untilLogged(Path logs, String suffix, int count) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : untilLoggedLines(logs, suffix, count)) {
            parsed.add(MAPPER.readTree(line));
        }
        return parsed;
    }

    /** The access log's lines, once it has {@code count}: Tomcat flushes its buffer every 10 s at the latest. */
    private static List<String> untilLoggedLines(Path logs, String suffix, int count) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 300 && lines.size() < count; i++) {
            Thread.sleep(100);
            try (Stream<Path> files = Files.list(logs)) {
                Path log = files.filter(f -> f.getFileName().toString().startsWith("localhost_access_log")
                        && f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
                lines = log == null ? List.of() : Files.readAllLines(log);
            }
        }
        assertThat(lines).as("access log lines in " + logs).hasSizeGreaterThanOrEqualTo(count);
        return lines;
    }
}
