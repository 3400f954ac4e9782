package dev.tally.web;

import static dev.tally.support.Http.basic;
import static dev.tally.support.Http.value;
import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules every endpoint follows, checked on every route of the real WAR.
 */
class ApiRulesPortableIT {

    private static final String ADMIN = basic(TallyServer.ADMIN, TallyServer.ADMIN_PASSWORD);

    /** Every route and the methods it supports (besides HEAD and OPTIONS). */
    private static final List<Route> ROUTES = List.of(
            new Route("/", "GET", "POST"),
            new Route("/api/counters/rules", "GET", "POST", "PUT", "DELETE"),
            new Route("/api/session/counter", "GET"),
            new Route("/api/session/counter/inc", "POST"),
            new Route("/api/session/counter/dec", "POST"),
            new Route("/api/session/counter/reset", "POST"),
            new Route("/api/session/data/rules", "GET", "PUT", "DELETE"),
            new Route("/api/cache/rules", "GET", "PUT", "DELETE"),
            new Route("/api/request", "GET"),
            new Route("/api/health", "GET"),
            new Route("/api/health/live", "GET"),
            new Route("/api/health/ready", "GET"),
            new Route("/metrics", "GET"),
            new Route("/app.js", "GET"),
            new Route("/style.css", "GET"),
            new Route("/api.md", "GET"));

    /** The servlet mappings those routes cover; a new mapping fails {@link #everyServletMappingIsCoveredHere}. */
    private static final Set<String> MAPPINGS = Set.of("", "/", "/api/*", "/api/counters/*", "/api/session/counter",
            "/api/session/counter/*", "/api/session/data/*", "/api/cache/*", "/api/request", "/api/health", "/error",
            "/api/health/live", "/api/health/ready", "/metrics", "*.jsp", "*.jspx");

    @RegisterExtension
    static final TallyServer tally = new TallyServer();
    private final Http http = tally.curl();

    @Test
    void everyServletMappingIsCoveredHere() {
        assertThat(tally.servletMappings()).containsExactlyInAnyOrderElementsOf(MAPPINGS);
    }

    @Test
    void unsupportedMethodGets405WithAllow() {
        for (Route route : ROUTES) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "PROPFIND")) {
                if (route.methods().contains(method)) {
                    continue;
                }
                HttpResponse<String> response = http.send(method, route.path(), null, "Authorization", ADMIN);
                assertProblem(response, 405, "METHOD_NOT_ALLOWED");
                assertThat(response.headers().firstValue("Allow")).as(method + " " + route.path())
                        .hasValue(route.allow());
            }
            HttpResponse<String> options = http.send("OPTIONS", route.path(), null);
            assertThat(options.statusCode()).isEqualTo(204);
            assertThat(options.headers().firstValue("Allow")).hasValue(route.allow());
        }
    }

    @Test
    void traceIsRefusedNamingTheMethodsOfThatPath() {
        for (Route route : ROUTES) {
            HttpResponse<String> response = http.send("TRACE", route.path(), null);
            if (response.statusCode() == 403 && tally.isJetty()) {
                continue; // Jetty's default descriptor forbids TRACE everywhere, before any servlet
            }
            assertThat(response.statusCode()).as("TRACE " + route.path()).isEqualTo(405);
            assertThat(response.body()).doesNotContain("Cookie").doesNotContain("TRACE /");
            Set<String> allowed = new java.util.TreeSet<>(List.of(response.headers().firstValue("Allow").orElse("")
                    .split(",\\s*")));
            allowed.remove("TRACE");
            assertThat(allowed).as("Allow of TRACE " + route.path())
                    .isEqualTo(new java.util.TreeSet<>(List.of(route.allow().split(", "))));
        }
    }

    @Test
    void unknownPathsGetAProblemNotAContainerPage() {
        for (String path : List.of("/api/nothing", "/api/counters-typo/x", "/api/session/other", "/api/", "/api",
                "/favicon.ico", "/WEB-INF/web.xml", "/error", "/index.jsp", "/api/x.jspx")) {
            assertProblem(http.get(path), 404, "NOT_FOUND");
        }
        assertProblem(http.send("PATCH", "/api/nothing", null), 404, "NOT_FOUND");
        assertProblem(http.post("/api/nothing"), 404, "NOT_FOUND");
    }

    @Test
    void everyJsonAnswerEndsWithANewline() {
        http.putJson("/api/cache/newline", "{\"a\":1}");
        List<HttpResponse<String>> answers = List.of(http.post("/api/counters/newline"),
                http.get("/api/counters/newline"), http.post("/api/session/counter/inc"),
                http.get("/api/session/counter"), http.get("/api/cache/newline"), http.get("/api/request"),
                http.get("/api/health"), http.get("/api/nothing"), http.post("/api/counters/no%20name"),
                http.send("PATCH", "/api/request", null));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("Content-Type")).as(answer.uri().toString()).hasValueSatisfying(
                    type -> assertThat(type).matches("(?i)application/(problem\\+)?json;\\s*charset=utf-8"));
            assertThat(answer.body()).as(answer.uri().toString()).endsWith("}\n").doesNotEndWith("\n\n");
        }
        assertThat(http.get("/api/cache/newline").body()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void getNeverChangesState() {
        http.post("/api/counters/looked-at");
        for (int i = 0; i < 5; i++) {
            http.get("/api/counters/looked-at");
            http.send("HEAD", "/api/counters/looked-at", null);
            http.get("/");
        }
        assertThat(value(http.get("/api/counters/looked-at"))).isEqualTo(1);
        assertThat(value(http.get("/api/counters/global"))).isZero();
    }

    @Test
    void stateChangingRequestsFromAnotherSiteAreRefusedOnEveryEndpoint() {
        List<String[]> crossSite = List.of(
                new String[] {"Origin", "https://evil.example"},
                new String[] {"Origin", "http://localhost:1"},
                new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Sec-Fetch-Site", "same-site"},
                new String[] {"Sec-Fetch-Site", "cross-site", "Origin", tally.origin()});
        for (Route route : ROUTES) {
            for (String method : route.methods()) {
                if (method.equals("GET")) {
                    continue;
                }
                for (String[] headers : crossSite) {
                    HttpResponse<String> response = http.send(method, route.path(), "1",
                            with(headers, "Content-Type", "application/json", "Authorization", ADMIN));
                    assertProblem(response, 403, "CROSS_ORIGIN");
                    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                }
            }
        }
        assertProblem(http.send("POST", "/", "action=count", "Content-Type", "application/x-www-form-urlencoded",
                "Origin", "https://evil.example"), 403, "CROSS_ORIGIN");
        assertThat(value(http.get("/api/counters/rules"))).isZero();
        assertThat(value(http.get("/api/counters/global"))).isZero();
        assertProblem(http.get("/api/cache/rules"), 404, "NOT_FOUND");
    }

    @Test
    void aRefusedRequestWhoseBodyComesLateLeavesTheConnectionUsable() throws Exception {
        URI origin = URI.create(tally.origin());
        try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /tally/api/counters/late-body HTTP/1.1\r\nHost: " + origin.getAuthority()
                    + "\r\nOrigin: https://evil.example\r\nContent-Type: application/json\r\nContent-Length: 2"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body comes a moment after the headers, then the next request on the same connection.
            Thread.sleep(300);
            out.write(("{}GET /tally/api/counters/late-body HTTP/1.1\r\nHost: " + origin.getAuthority() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 403").contains("CROSS_ORIGIN");
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("\"value\":0");
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, as text; an empty string if the connection was closed. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) != -1) {
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void stateChangingRequestsFromTheSameOriginOrWithoutOriginAreAccepted() {
        assertThat(value(http.post("/api/counters/same", "Origin", tally.origin()))).isEqualTo(1);
        assertThat(value(http.post("/api/counters/same", "Sec-Fetch-Site", "same-origin"))).isEqualTo(2);
        assertThat(value(http.post("/api/counters/same", "Sec-Fetch-Site", "same-origin", "Origin",
                tally.origin()))).isEqualTo(3);
        assertThat(value(http.post("/api/counters/same", "Sec-Fetch-Site", "none"))).isEqualTo(4);
        assertThat(value(http.post("/api/counters/same"))).isEqualTo(5);
        assertThat(http.putJson("/api/cache/same", "1", "Origin", tally.origin()).statusCode()).isEqualTo(204);
        assertThat(http.delete("/api/cache/same", "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(204);
        assertThat(http.get("/api/counters/same", "Origin", "https://evil.example").statusCode()).isEqualTo(200);
    }

    private static String[] with(String[] headers, String... more) {
        String[] all = Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }

    record Route(String path, List<String> methods) {
        Route(String path, String... methods) {
            this(path, List.of(methods));
        }

        /** The Allow header: the supported methods, HEAD with GET, and OPTIONS, in a fixed order. */
        String allow() {
            StringBuilder allow = new StringBuilder();
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS")) {
                if (methods.contains(method) || method.equals("OPTIONS")
                        || (method.equals("HEAD") && methods.contains("GET"))) {
                    allow.append(allow.length() == 0 ? "" : ", ").append(method);
                }
            }
            return allow.toString();
        }
    }
}
