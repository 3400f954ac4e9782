package dev.tally.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP client for the tests, like curl with an optional cookie jar: one instance is one user agent. Thread-safe;
 * share one between threads to share its cookies (one session), or give each its own.
 */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Whether the JDK lets a request say {@code Connection: close} (jdk.httpclient.allowRestrictedHeaders). */
    private static final boolean RESTRICTED_ALLOWED = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "")
            .toLowerCase(Locale.ROOT).contains("connection");

    private final String base;
    private final CookieManager cookies;
    private final HttpClient client;

    private Http(String base, boolean withCookies) {
        this(base, withCookies, new CookieManager());
    }

    private Http(String base, boolean withCookies, CookieManager cookies) {
        this.base = base;
        this.cookies = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (withCookies) {
            builder.cookieHandler(cookies);
        }
        this.client = builder.build();
    }

    /** A client with its own cookie jar, like a browser. */
    public static Http withCookies(String base) {
        return new Http(base, true);
    }

    /** A client that keeps no cookies, like curl. */
    public static Http withoutCookies(String base) {
        return new Http(base, false);
    }

    /** The same user agent, cookies and all, talking to another address (another node, a restarted server). */
    public Http at(String otherBase) {
        return new Http(otherBase, true, cookies);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> post(String path, String... headers) {
        return send("POST", path, null, headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    public HttpResponse<String> putJson(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("PUT", path, json, all);
    }

    /** Any method, with an optional body and headers given as name, value, name, value... */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        return exchange(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers);
    }

    /** A PUT of raw bytes, such as a WAR to Tomcat Manager's deploy command. */
    public HttpResponse<String> putBytes(String path, byte[] body, String... headers) {
        return exchange("PUT", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    private HttpResponse<String> exchange(String method, String path, HttpRequest.BodyPublisher body,
            String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        boolean connectionSet = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            connectionSet |= headers[i].equalsIgnoreCase("Connection");
        }
        if (method.equals("POST") && !connectionSet && RESTRICTED_ALLOWED) {
            // A POST goes on a connection of its own: see jdkPoolRace.
            request.header("Connection", "close");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt < 3 && !method.equals("POST") && jdkPoolRace(e)) {
                    continue;
                }
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The JDK 17 client's own race (JDK-8336655, "header parser received no bytes" after "connection closed
     * locally"): a pooled connection taken for a request can hand the server's answer to the pool's idle watcher,
     * which closes the connection and fails the request although the server served it. Not the server's fault, and
     * rare, but a test sending 10 000 requests meets it now and then. An idempotent request is sent again; a POST,
     * which must not be, never reuses a connection (it asks the server to close it), so it cannot meet the race.
     */
    static boolean jdkPoolRace(IOException e) {
        boolean noBytes = false;
        boolean closedLocally = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            noBytes |= message.contains("header parser received no bytes");
            closedLocally |= message.contains("connection closed locally");
        }
        return noBytes && closedLocally;
    }

    /** The cookies this client holds. */
    public List<HttpCookie> cookies() {
        return cookies.getCookieStore().getCookies();
    }

    /** The session id this client holds, or null. */
    public String sessionId() {
        return cookies().stream().filter(c -> c.getName().equals("JSESSIONID")).map(HttpCookie::getValue)
                .findFirst().orElse(null);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + response.body(), e);
        }
    }

    /** The {@code value} field of a JSON answer. */
    public static long value(HttpResponse<String> response) {
        JsonNode value = json(response).get("value");
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalStateException("No value in " + response.statusCode() + " " + response.body());
        }
        return value.longValue();
    }

    /** An {@code Authorization} header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
