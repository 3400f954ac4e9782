package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.TallyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A body arrives in full within tally.request.bodyTimeout (1 s here) or the request is refused with 408 and its
 * connection closed, on every endpoint, whether or not it wants a body; one that arrives in time, even in pieces, is
 * served. Written on raw sockets, since an HTTP client library sends a body as fast as it can.
 */
class RequestBodyPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer(Map.of("tally.request.bodyTimeout", "1000"));

    @Test
    void aBodyStillArrivingAfterTheTimeoutIsRefusedWith408AndTheConnectionClosed() throws Exception {
        for (String target : new String[] {"PUT /tally/api/cache/slow", "POST /tally/api/counters/slow",
                "PUT /tally/api/session/data/slow"}) {
            try (Socket socket = connect()) {
                long start = System.nanoTime();
                send(socket, target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n\"");
                try {
                    for (int i = 0; i < 4; i++) {
                        Thread.sleep(400);
                        send(socket, "a");
                    }
                } catch (IOException cut) {
                    // The server has answered and closed: what it said is read below.
                }
                String answer = readToEnd(socket);
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(answer).as(target).startsWith("HTTP/1.1 408 ").contains("Connection: close")
                        .contains("\"code\":\"REQUEST_TIMEOUT\"").containsIgnoringCase("X-Request-Id: ");
                assertThat(millis).as(target + ": cut after").isBetween(1_000L, 3_000L);
            }
        }
        assertThat(Http.value(tally.curl().get("/api/counters/slow"))).as("never counted").isZero();
        assertThat(tally.curl().get("/api/cache/slow").statusCode()).isEqualTo(404);
    }

    @Test
    void aBodyArrivingInPiecesWithinTheTimeoutIsServed() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "PUT /tally/api/cache/pieces HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n[1,");
            Thread.sleep(300);
            send(socket, "2,");
            Thread.sleep(300);
            send(socket, "3]");
            assertThat(readToEnd(socket)).startsWith("HTTP/1.1 204 ");
        }
        assertThat(tally.curl().get("/api/cache/pieces").body()).isEqualTo("[1,2,3]\n");
    }

    /**
     * A body that cannot be decoded is a bad request, not a slow one: Jetty answers 400; Tomcat, reading without
     * blocking, closes the connection at once without an answer (it puts the connection in an error state in which
     * nothing more is written). Never a 408, never stored.
     */
    @Test
    void aMalformedChunkSizeIsABadRequestNotATimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "PUT /tally/api/cache/chunks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n[1]\r\n0\r\n\r\n");
            String answer = readToEnd(socket);
            assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 ")).as(answer).isTrue();
        }
        assertThat(tally.curl().get("/api/cache/chunks").statusCode()).isEqualTo(404);
    }

    @Test
    void theHomePageFormIsReadFromTheBodyAndTheQuery() {
        Http browser = tally.browser();
        String origin = tally.origin();
        assertThat(browser.send("POST", "/", "action=inc&other=%ZZ", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", origin).statusCode()).isEqualTo(303);
        assertThat(browser.send("POST", "/?action=inc", "ignored=1", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", origin).statusCode()).isEqualTo(303);
        assertThat(Http.value(browser.get("/api/session/counter"))).isEqualTo(2);
        assertThat(browser.send("POST", "/", "action=inc", "Content-Type", "text/plain", "Origin", origin)
                .statusCode()).as("a body that is not a form has no parameters").isEqualTo(400);
    }

    private static Socket connect() throws IOException {
        URI base = URI.create(tally.origin());
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sent until it closed; a reset after the answer (unread bytes of ours) ends it too. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketException reset) {
            if (answer.length() == 0) {
                throw reset;
            }
        }
        return answer.toString();
    }
}
