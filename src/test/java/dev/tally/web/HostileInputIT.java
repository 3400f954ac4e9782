package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.CapturedLog;
import dev.tally.support.EmbeddedTomcat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated hostile requests against the real WAR, written as raw bytes so that nothing in a client library tidies
 * them up: any method, paths near every route with odd segments, broken percent-encodings and bytes that are not
 * UTF-8, any content type, bodies of garbage, of deep or large JSON, headers too large to accept. Whatever comes in,
 * the answer is an HTTP answer below 500 with no stack trace or exception name in it, and nothing is logged as an
 * unexpected failure. The seed is fixed so that a run is repeatable; change it to explore further.
 *
 * <p>The cache is given small bounds here so that the generated writes fill it, and after every request (they are
 * sent one at a time) its MBean must show no more entries and bytes than the bounds allow.
 */
class HostileInputIT {

    private static final List<String> ROUTES = List.of("/", "/api/counters/", "/api/session/counter/",
            "/api/session/data/", "/api/cache/", "/api/request", "/api/health", "/api/", "/error", "/app.js", "/");
    private static final long CACHE_MAX_ENTRIES = 40;
    private static final long CACHE_MAX_BYTES = 256 << 10;
    private static final ObjectName CACHE = name("dev.tally:type=Cache,context=/tally");
    private static EmbeddedTomcat tomcat;
    private static CapturedLog log;
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final AtomicLong MOST_ENTRIES = new AtomicLong();
    private static final AtomicLong MOST_BYTES = new AtomicLong();

    @BeforeContainer
    static void start() throws Exception {
        log = CapturedLog.start();
        tomcat = EmbeddedTomcat.start(Map.of("tally.cache.maxEntries", String.valueOf(CACHE_MAX_ENTRIES),
                "tally.cache.maxBytes", String.valueOf(CACHE_MAX_BYTES)));
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            List<String> unexpected = log.lines().stream().filter(line -> line.contains("Unexpected failure")
                    || line.contains("threw exception") || line.contains("Exception processing")).toList();
            System.out.println("HostileInputIT: " + SENT.get() + " generated requests; the cache held at most "
                    + MOST_ENTRIES.get() + " entries (bound " + CACHE_MAX_ENTRIES + ") and " + MOST_BYTES.get()
                    + " bytes (bound " + CACHE_MAX_BYTES + ")");
            assertThat(unexpected).as("unexpected failures logged").isEmpty();
            assertThat(MOST_ENTRIES.get() >= CACHE_MAX_ENTRIES * 3 / 4 || MOST_BYTES.get() >= CACHE_MAX_BYTES / 2)
                    .as("the generated writes filled the cache, so the bounds were put to the test").isTrue();
        } finally {
            log.close();
            tomcat.close();
        }
    }

    @Property(tries = 10_000, seed = "20261123")
    void anyRequestGetsAnAnswerBelow500WithoutAStackTrace(@ForAll("requests") byte[] request) throws IOException {
        SENT.incrementAndGet();
        String answer = send(request);
        while (answer.startsWith("HTTP/1.1 1") && answer.contains("\r\n\r\n")) {
            answer = answer.substring(answer.indexOf("\r\n\r\n") + 4); // an interim answer: 100 Continue
        }
        assertThat(answer).as("an answer").startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(status).as(answer).isBetween(200, 499);
        assertThat(answer).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("org.apache")
                .doesNotContain("dev.tally.");
        assertCacheWithinItsBounds();
    }

    @Property(tries = 2_000, seed = "20261123")
    void cacheWritesOfAnyKeySizeAndTtlLeaveTheCacheWithinItsBounds(@ForAll("cacheWrites") byte[] request)
            throws IOException {
        SENT.incrementAndGet();
        String answer = send(request);
        assertThat(answer).as("an answer").startsWith("HTTP/1.1 ");
        assertThat(Integer.parseInt(answer.substring(9, 12))).as(answer).isIn(204, 400, 404, 413);
        assertCacheWithinItsBounds();
    }

    /**
     * JSON bodies built to break a parser (huge exponents, escaped half surrogates, control characters), in UTF-8 and
     * in encodings Tally must refuse (UTF-16 and UTF-32 with and without byte order marks, CESU-8 surrogates,
     * overlong forms), to the session data of a new session each: each is stored exactly as sent or refused with 400
     * or 415, never stored altered (read back, a stored value is the same JSON, not one with a "?" for a character)
     * and never a 5xx.
     */
    @Property(tries = 2_000, seed = "20261202")
    void jsonInAnyEncodingIsStoredExactlyOrRefused(@ForAll("hostileJson") String json,
            @ForAll("encodings") String encoding) throws IOException {
        SENT.incrementAndGet();
        byte[] body = encoded(json, encoding);
        String path = "/tally/api/session/data/fuzz";
        String answer = send(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), body);
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(status).as(json + " in " + encoding + ": " + answer).isIn(204, 400, 415);
        if (status == 204) {
            assertThat(encoding).as("only UTF-8 is accepted").isEqualTo("UTF-8");
            java.util.regex.Matcher session = java.util.regex.Pattern.compile("JSESSIONID=([^;\r\n]+)").matcher(answer);
            assertThat(session.find()).as(answer).isTrue();
            String stored = send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Cookie: JSESSIONID=" + session.group(1) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    new byte[0]);
            assertThat(stored).startsWith("HTTP/1.1 200 ");
            byte[] raw = stored.substring(stored.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
            // The same JSON: equal strings, keys and structure, numbers of equal value (0e0 is written back as 0).
            assertThat(READER.readTree(new String(raw, StandardCharsets.UTF_8)).equals(SAME_VALUE,
                    READER.readTree(json))).as(json + " stored as " + new String(raw, StandardCharsets.UTF_8)).isTrue();
        }
    }

    private static final java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> SAME_VALUE = (a, b) ->
            a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = com.fasterxml.jackson.databind.json
            .JsonMapper.builder().enable(com.fasterxml.jackson.databind.DeserializationFeature
                    .USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Provide
    Arbitrary<String> hostileJson() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.of("0e99999999999", "1e2147483648", "1.5E-2147483649", "-1E+2147483647", "1e999999999",
                        "0.000000000000000000000000001", "123456789012345678901234567890.5", "-0.0", "1E-7"),
                Combinators.combine(Arbitraries.integers().between(-9, 9), Arbitraries.longs())
                        .as((mantissa, exponent) -> mantissa + "e" + exponent));
        Arbitrary<String> string = Arbitraries.oneOf(
                Arbitraries.of("\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "\"\\ud83d\\ude00\"",
                        "\"\\u0000\"", "\"\u00e9\u4e2d\ud83d\ude00\"", "\"\u0001\"", "\"\\/\""),
                Arbitraries.strings().ofMaxLength(12).map(text -> "\"" + text.replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\""));
        Arbitrary<String> scalar = Arbitraries.oneOf(number, string);
        return Combinators.combine(scalar.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 2))
                .as((values, shape) -> switch (shape) {
                    case 0 -> "[" + String.join(",", values) + "]";
                    case 1 -> "{\"k\":{\"n\":" + values.get(0) + "}}";
                    default -> values.get(0);
                });
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("UTF-8")),
                Tuple.of(4, Arbitraries.of("UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32", "UTF-32BE", "UTF-32LE",
                        "UTF-8+BOM", "CESU-8", "overlong")));
    }

    /** The JSON text as bytes of an encoding; CESU-8 and overlong forms are written by hand (Java refuses both). */
    private static byte[] encoded(String json, String encoding) {
        return switch (encoding) {
            case "UTF-8+BOM" -> ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
            case "CESU-8" -> cesu8(json + "\ud83d\ude00");
            case "overlong" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
                out.write(0xC0 | ('/' >> 6));
                out.write(0x80 | ('/' & 0x3F));
                yield out.toByteArray();
            }
            default -> json.getBytes(java.nio.charset.Charset.forName(encoding));
        };
    }

    private static byte[] cesu8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (char c : text.toCharArray()) {
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | c >> 6);
                out.write(0x80 | c & 0x3F);
            } else {
                out.write(0xE0 | c >> 12);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
            }
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> cacheWrites() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._:-").ofMinLength(1)
                        .ofMaxLength(200),
                Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1).ofMaxLength(2),
                Arbitraries.of("x".repeat(201), "%20", "a%2Fb"));
        Arbitrary<String> ttl = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.longs().between(-5, 3_000_000).map(seconds -> "?ttl=" + seconds));
        Arbitrary<Integer> valueChars = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.integers().between(0, 200)),
                Tuple.of(3, Arbitraries.integers().between(1_000, 70_000)));
        return Combinators.combine(key, ttl, valueChars).as((k, t, chars) -> {
            byte[] value = ("\"" + "v".repeat(chars) + "\"").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("PUT /tally/api/cache/" + k + t + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + value.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(value);
            return out.toByteArray();
        });
    }

    /** Read between two requests, with none running: the bounds hold exactly, not only eventually. */
    private static void assertCacheWithinItsBounds() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            long entries = (Long) server.getAttribute(CACHE, "Entries");
            long bytes = (Long) server.getAttribute(CACHE, "Bytes");
            MOST_ENTRIES.accumulateAndGet(entries, Math::max);
            MOST_BYTES.accumulateAndGet(bytes, Math::max);
            assertThat(entries).as("cache entries").isLessThanOrEqualTo(CACHE_MAX_ENTRIES);
            assertThat(bytes).as("cache bytes").isLessThanOrEqualTo(CACHE_MAX_BYTES);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12));
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._-:~").ofMaxLength(80),
                Arbitraries.of("%", "%2F", "%00", "%ZZ", "%C3%28", "%E2%82", "..", "./", ";jsessionid=x", "%20",
                        "a/b/c", "x".repeat(300), "%FF%FE", "?ttl=-1", "?ttl=99999999999", "?ttl=abc", "//"),
                Arbitraries.strings().withCharRange('\u0080', '\u00ff').ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of(ROUTES), segment.list().ofMaxSize(3))
                .as((route, segments) -> "/tally" + route + String.join("", segments));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json; charset=UTF-8",
                "application/json; charset=ISO-8859-1", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/problem+json", "*/*", ";;;", "");
        Arbitrary<String> extraHeader = Arbitraries.of("", "Origin: https://evil.example\r\n", "Origin: null\r\n",
                "Sec-Fetch-Site: cross-site\r\n", "X-Request-Id: " + "i".repeat(100) + "\r\n",
                "X-Request-Id: \u00e9\u00e8\r\n", "Cookie: JSESSIONID=forged\r\n", "Expect: 100-continue\r\n",
                "X-Big: " + "b".repeat(12_000) + "\r\n", "Authorization: Basic !!!\r\n",
                "Authorization: Basic " + "YWRtaW46YWRtaW4tc2VjcmV0" + "\r\n");
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                json().map(text -> text.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 400).map(depth -> ("[".repeat(depth) + "]".repeat(depth))
                        .getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(("\"" + "x".repeat(70_000) + "\"").getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}));
        return Combinators.combine(method, path, contentType, extraHeader, body).as((m, p, type, extra, content) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String head = m + " " + p + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + extra
                    + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(content);
            return out.toByteArray();
        });
    }

    /** Small JSON documents of every kind of value, valid or cut short. */
    private static Arbitrary<String> json() {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e999", "-0", "1.10", "123456789012345678901234567890"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        return Combinators.combine(scalar.list().ofMaxSize(5), Arbitraries.integers().between(0, 3))
                .as((values, shape) -> switch (shape) {
                    case 0 -> "[" + String.join(",", values) + "]";
                    case 1 -> "{\"a\":" + (values.isEmpty() ? "1" : values.get(0)) + ",\"a\":2}";
                    case 2 -> "{\"k\":[" + String.join(",", values) + "]";
                    default -> values.isEmpty() ? "" : values.get(0);
                });
    }

    private static String send(byte[] head, byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head);
        request.writeBytes(body);
        return send(request.toByteArray());
    }

    private static String send(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", tomcat.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
