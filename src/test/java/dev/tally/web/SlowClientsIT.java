package dev.tally.web;

import static dev.tally.support.StandaloneTomcat.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against the shipped tomcat-conf (its connector settings, 200 request threads) for
 * {@value #RUN_SECONDS} s: 150 connections trickling their headers at one byte a second, 10 that stall half-way
 * through their headers, {@value #TRICKLING_BODIES} requests trickling their bodies at one byte a second (more than
 * there are request threads), spread over paths Tally serves and paths the container used to answer itself before
 * Tally ran (a counter PUT without credentials, a POST to a static file, a PUT to an unknown path), and
 * {@value #TRICKLING_REDIRECTS} to {@code /tally} without its slash (answered by Tomcat alone), each reconnecting
 * when cut, while 8 normal clients keep working and reading {@code /api/health}.
 *
 * <p>Pass figures: every normal request succeeds (100 %), with its p99 recorded; every slow body is cut with 408
 * within Tally's body timeout (10 s, plus the one second a byte takes to arrive); a slow body to the redirect gets its
 * 302 and is closed at its first byte (maxSwallowSize="0"); every stalled header is cut within connectionTimeout
 * (10 s) plus Tomcat's poller interval; and slow clients hold no request thread: Tomcat's busy threads, read through
 * the Manager between the trickles' bursts, stay (in the median sample) within what the normal clients, the Manager
 * and the redirects' single reads account for, far below the number of slow bodies. Tomcat has no deadline for
 * headers as a whole, so the trickling headers are counted, not required to be cut: see tomcat-conf/server.xml.
 */
class SlowClientsIT {

    private static final int RUN_SECONDS = 60;
    private static final int TRICKLING_HEADERS = 150;
    private static final int STALLED_HEADERS = 10;
    private static final int TRICKLING_BODIES = 250;
    private static final int TRICKLING_REDIRECTS = 10;
    /** What the slow bodies ask for, in turn: Tally's own paths and ones the container used to answer itself. */
    private static final List<String> SLOW_TARGETS = List.of("PUT /tally/api/cache/slow-%d",
            "PUT /tally/api/counters/slow-%d", "POST /tally/app.js?%d", "PUT /tally/nowhere-%d");
    private static final int NORMAL_CLIENTS = 8;
    /** tally.request.bodyTimeout's default, and connectionTimeout in tomcat-conf/server.xml. */
    private static final long BODY_TIMEOUT_MILLIS = 10_000;
    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;
    /** A byte a second: a cut is seen up to a second late; Tomcat's poller checks timeouts about once a second; the
     * rest is room for a loaded machine. */
    private static final long SLACK_MILLIS = 5_000;

    private static StandaloneTomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = TestServers.freePort();
        tomcat = StandaloneTomcat.withShippedConf(port, Map.of(), true);
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void normalClientsKeepSucceedingWhileSlowClientsAreCut() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_SECONDS);
        List<Trickle> trickles = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            // Trickling and stalled headers: one connection each, never completed.
            List<Trickle> headers = new ArrayList<>();
            for (int i = 0; i < TRICKLING_HEADERS + STALLED_HEADERS; i++) {
                Trickle trickle = new Trickle(open(), i < TRICKLING_HEADERS);
                trickle.write(("GET /tally/api/counters/global HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                        .getBytes(StandardCharsets.ISO_8859_1));
                headers.add(trickle);
                trickles.add(trickle);
                pool.submit(trickle::awaitCut);
            }

            // Trickling bodies: each a PUT whose body comes a byte a second; cut, it starts again.
            List<Long> bodyCuts = Collections.synchronizedList(new ArrayList<>());
            List<String> bodyAnswers = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> bodies = new ArrayList<>();
            List<Long> redirectCuts = Collections.synchronizedList(new ArrayList<>());
            List<String> redirectAnswers = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger bodiesRunning = new AtomicInteger(TRICKLING_BODIES + TRICKLING_REDIRECTS);
            for (int i = 0; i < TRICKLING_BODIES + TRICKLING_REDIRECTS; i++) {
                int client = i;
                String target = i < TRICKLING_BODIES
                        ? String.format(SLOW_TARGETS.get(i % SLOW_TARGETS.size()), i) : "PUT /tally";
                bodies.add(pool.submit(() -> {
                    try {
                        if (client < TRICKLING_BODIES) {
                            trickleBodiesUntil(end, target, trickles, bodyCuts, bodyAnswers);
                        } else {
                            trickleBodiesUntil(end, target, trickles, redirectCuts, redirectAnswers);
                        }
                    } finally {
                        bodiesRunning.decrementAndGet();
                    }
                    return null;
                }));
            }

            // One writer for every trickle: a byte a second each, until the last slow body has been cut. Every other
            // second, just before its next burst, it reads Tomcat's busy request threads: a thread held by a slow
            // client is busy in every sample, while the read callbacks of one burst have had a second to finish.
            List<Long> busySamples = Collections.synchronizedList(new ArrayList<>());
            pool.submit(() -> {
                for (int second = 0; bodiesRunning.get() > 0; second++) {
                    if (second % 2 == 1 && System.nanoTime() < end) {
                        busySamples.add(busyThreads());
                    }
                    for (Trickle trickle : trickles) {
                        trickle.trickleOneByte();
                    }
                    Thread.sleep(1_000);
                }
                return null;
            });

            // Normal clients: increment a counter, write and read the cache, read the page.
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Long> counterValues = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger requests = new AtomicInteger();
            List<Future<?>> normal = new ArrayList<>();
            for (int i = 0; i < NORMAL_CLIENTS; i++) {
                int client = i;
                normal.add(pool.submit(() -> {
                    Http http = Http.withoutCookies(tomcat.base());
                    for (int n = 0; System.nanoTime() < end; n++) {
                        long started = System.nanoTime();
                        HttpResponse<String> answer;
                        try {
                            answer = switch (n % 4) {
                                case 0 -> http.post("/api/counters/normal");
                                case 1 -> http.putJson("/api/cache/normal-" + client, "{\"n\":" + n + "}");
                                case 2 -> http.get("/api/health");
                                default -> http.get("/");
                            };
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                            continue;
                        } finally {
                            latencies.add(System.nanoTime() - started);
                            requests.incrementAndGet();
                        }
                        if (answer.statusCode() >= 300) {
                            failures.add(answer.statusCode() + " " + answer.body());
                        } else if (n % 4 == 0) {
                            counterValues.add(Http.value(answer));
                        }
                    }
                    return null;
                }));
            }

            for (Future<?> future : normal) {
                future.get(RUN_SECONDS + 60, TimeUnit.SECONDS);
            }
            for (Future<?> future : bodies) {
                future.get(RUN_SECONDS + 60, TimeUnit.SECONDS);
            }

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long stillOpen = headers.stream().filter(t -> t.trickling && t.cutAfterMillis() < 0).count();
            List<Long> stalledCuts = headers.stream().filter(t -> !t.trickling).map(Trickle::cutAfterMillis).toList();
            System.out.printf("SlowClientsIT: %d s, %d normal requests, %d failed, p50 %.1f ms, p99 %.1f ms, "
                            + "max %.1f ms;"
                            + " %d slow bodies cut after %s ms (min-max); %d slow redirects cut after %s ms;"
                            + " stalled headers cut after %s ms;"
                            + " trickling headers still open at the end: %d of %d; busy request threads %s%n",
                    RUN_SECONDS, requests.get(), failures.size(), millis(sorted, 0.50), millis(sorted, 0.99),
                    millis(sorted, 1.0), bodyCuts.size(), range(bodyCuts), redirectCuts.size(), range(redirectCuts),
                    range(stalledCuts), stillOpen, TRICKLING_HEADERS, busySamples);

            assertThat(failures).as("normal requests that failed").isEmpty();
            assertThat(counterValues).doesNotHaveDuplicates();
            assertThat(bodyCuts).as("each slow body is cut at least once per body timeout")
                    .hasSizeGreaterThanOrEqualTo(TRICKLING_BODIES * (int) (RUN_SECONDS * 1000 / (BODY_TIMEOUT_MILLIS
                            + SLACK_MILLIS) - 1))
                    .allMatch(cut -> cut >= BODY_TIMEOUT_MILLIS - 1_000 && cut <= BODY_TIMEOUT_MILLIS + SLACK_MILLIS);
            assertThat(bodyAnswers).allMatch(answer -> answer.startsWith("HTTP/1.1 408 ")
                    && answer.contains("\"code\":\"REQUEST_TIMEOUT\"") && answer.contains("Connection: close"));
            assertThat(redirectCuts).as("slow bodies to a path Tomcat answers alone are cut at their first bytes")
                    .hasSizeGreaterThanOrEqualTo(TRICKLING_REDIRECTS * 10)
                    .allMatch(cut -> cut <= SLACK_MILLIS + 1_000);
            assertThat(redirectAnswers).allMatch(answer -> answer.isEmpty() || answer.startsWith("HTTP/1.1 302 "));
            assertThat(stalledCuts).hasSize(STALLED_HEADERS).allMatch(cut -> cut >= 0
                    && cut <= CONNECTION_TIMEOUT_MILLIS + SLACK_MILLIS);
            // The normal clients hold a thread each, the Manager one, a redirect one for its single read (a second at
            // most); the slow bodies and the trickling headers hold none. A few more may be running the slow bodies'
            // read callbacks at the moment of a sample, and on a loaded machine a burst's callbacks can outlast the
            // second between bursts, so the bound is on the median sample: were slow bodies to hold threads, every
            // sample would show all 200 of them busy.
            assertThat(busySamples).as("samples of busy request threads").hasSizeGreaterThanOrEqualTo(10);
            List<Long> busy = new ArrayList<>(busySamples);
            Collections.sort(busy);
            assertThat(busy.get(busy.size() / 2)).as("median busy request threads, of %s", busySamples)
                    .isLessThanOrEqualTo(NORMAL_CLIENTS + 1 + TRICKLING_REDIRECTS + 10);
            assertThat(Http.value(Http.withoutCookies(tomcat.base()).get("/api/counters/normal")))
                    .isEqualTo(counterValues.size());
        } finally {
            pool.shutdownNow();
            for (Trickle trickle : trickles) {
                trickle.close();
            }
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void trickleBodiesUntil(long end, String target, List<Trickle> trickles, List<Long> bodyCuts,
            List<String> bodyAnswers) throws IOException, InterruptedException {
        while (System.nanoTime() < end) {
            Trickle trickle = new Trickle(open(), true);
            trickle.write((target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n\"")
                    .getBytes(StandardCharsets.ISO_8859_1));
            trickles.add(trickle);
            String answer = trickle.awaitCut();
            trickles.remove(trickle);
            if (trickle.cutAfterMillis() >= 0) {
                bodyCuts.add(trickle.cutAfterMillis());
                bodyAnswers.add(answer);
            }
            if (trickle.cutAfterMillis() < 1_000) {
                Thread.sleep(200); // a redirect is answered at once: not thousands of connections a second
            }
        }
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(RUN_SECONDS + 30));
        return socket;
    }

    private static double millis(List<Long> sortedNanos, double quantile) {
        if (sortedNanos.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.size() - 1, Math.ceil(quantile * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    private static String range(List<Long> values) {
        return values.isEmpty() ? "-" : Collections.min(values) + "-" + Collections.max(values);
    }

    /** Tomcat's busy request threads, from the Manager's JMX proxy. */
    private static long busyThreads() {
        String query = URLEncoder.encode("Catalina:type=ThreadPool,*", StandardCharsets.UTF_8);
        String answer = Http.withoutCookies("http://localhost:" + port + "/manager")
                .get("/jmxproxy/?qry=" + query, "Authorization", OPS).body();
        Matcher busy = Pattern.compile("currentThreadsBusy: (\\d+)").matcher(answer);
        long most = 0;
        while (busy.find()) {
            most = Math.max(most, Long.parseLong(busy.group(1)));
        }
        return most;
    }

    /** A connection that sends a byte a second (or, stalled, nothing more) until the server answers or cuts it. */
    private static final class Trickle {
        private final Socket socket;
        private final boolean trickling;
        private final long opened = System.nanoTime();
        private volatile long cutAfterMillis = -1;
        private volatile boolean closedHere;

        Trickle(Socket socket, boolean trickling) {
            this.socket = socket;
            this.trickling = trickling;
        }

        void write(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        void trickleOneByte() {
            if (trickling && cutAfterMillis < 0 && !closedHere) {
                try {
                    write(new byte[] {'a'});
                } catch (IOException cut) {
                    // Seen by awaitCut as the end of the stream.
                }
            }
        }

        /** Blocks until the server answers or closes; the answer, if any. */
        String awaitCut() {
            StringBuilder answer = new StringBuilder();
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[4096];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
                cutAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
            } catch (IOException e) {
                if (!closedHere) {
                    cutAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened); // reset by the server
                }
            }
            return answer.toString();
        }

        long cutAfterMillis() {
            return cutAfterMillis;
        }

        void close() {
            closedHere = true;
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}
