package dev.tally.admin;

import static dev.tally.support.StandaloneTomcat.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.ServletContainer;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator does with the admin console, under load: a real Tomcat 10.1 distribution with tomcat-conf's
 * files and Tally on the Redis store; the WAR deployed through Tomcat Manager's text API, reloaded
 * {@value #RELOADS} times while {@value #CLIENTS} clients keep sending requests (global counter, session counter,
 * cache), then undeployed. Every answer is a success, or Tomcat's own 404 or 503 to a request that met a reload; no
 * number is handed out twice across the reloads, {@code findleaks} finds no class loader left behind, and no thread
 * the application started is left.
 */
class RedeployUnderLoadIT {

    private static final int CLIENTS = 20;
    private static final int RELOADS = 5;
    /** A bound on each client, so the test stops by itself whatever happens to the reloads. */
    private static final int MAX_REQUESTS_PER_CLIENT = 50_000;
    private static final int LEAK_CHECK_SECONDS = 90;
    /** Tomcat's own request threads: the connector's pool grows under load and is not the application's. */
    private static final Pattern CONTAINER_THREAD = Pattern.compile("http-nio-.*-(exec|Poller|Acceptor).*");

    @Test
    void reloadsUnderLoadLoseNothingLeakNothingAndLeaveNoThread() throws Exception {
        int port = TestServers.freePort();
        String store = TestServers.redisUrl("RedeployUnderLoadIT");
        try (StandaloneTomcat tomcat = StandaloneTomcat.withShippedConf(port, Map.of("tally.store", store), false)) {
            Http manager = Http.withoutCookies("http://localhost:" + port + "/manager/text");
            Set<String> threadsBefore = threadNames(manager);

            HttpResponse<String> deploy = manager.putBytes("/deploy?path=/tally&update=true",
                    Files.readAllBytes(ServletContainer.war().toPath()),
                    "Authorization", OPS);
            assertThat(deploy.body()).startsWith("OK - Deployed application at context path [/tally]");

            String counter = "/api/counters/redeploy-" + UUID.randomUUID().toString().substring(0, 8);
            Load load = new Load(tomcat.base(), counter);
            load.start();
            Thread.sleep(1000);
            List<long[]> reloads = new ArrayList<>();
            for (int i = 0; i < RELOADS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> reload = manager.get("/reload?path=/tally", "Authorization", OPS);
                reloads.add(new long[] {start, System.nanoTime()});
                assertThat(reload.body()).as("reload " + (i + 1))
                        .startsWith("OK - Reloaded application at context path [/tally]");
                System.out.printf("RedeployUnderLoadIT: reload %d took %.1f s%n", i + 1,
                        (System.nanoTime() - start) / 1e9);
                Thread.sleep(1000);
            }
            // The reloaded instances are freed while the load goes on (see findLeaks for why it takes a while).
            assertThat(findLeaks(manager, "after " + RELOADS + " reloads, under load"))
                    .as(() -> "findleaks; Tomcat's warnings:\n" + warnings(tomcat))
                    .isEqualTo("OK - No memory leaks found");
            load.stop();
            load.report();

            // Every answer was a success, except Tomcat's own 404 or 503 to a request that met a reload (README);
            // never a 500, never an error of Tally's, and nothing failed without an answer.
            assertThat(load.transportFailures).as("requests with no HTTP answer").isEmpty();
            for (Refusal refusal : load.refusals) {
                assertThat(refusal.status()).as(() -> refusal.request() + " " + refusal.body() + "\nTomcat's errors:\n"
                        + errors(tomcat)).isIn(404, 503);
                // Tomcat's own: its error page, or no body at all (a request whose body was still being read when its
                // application stopped is refused on the ASYNC dispatch, where no error page is rendered). Every
                // answer of Tally's, errors included, has a JSON body.
                assertThat(refusal.body()).as(refusal.request()).satisfiesAnyOf(
                        body -> assertThat(body).contains("<title>HTTP Status " + refusal.status()),
                        body -> assertThat(body).isEmpty());
                assertThat(reloads).as(refusal.request() + " answered " + refusal.status() + " during a reload")
                        .anyMatch(reload -> refusal.sent() <= reload[1] && refusal.answered() >= reload[0]);
            }
            assertThat(load.wrongAnswers).as("answers that contradict an earlier one").isEmpty();
            // Counters on Redis continued through every reload: no value twice, and on from the highest.
            List<Long> values = new ArrayList<>(load.counterValues);
            assertThat(new HashSet<>(values)).as("distinct among %d acknowledged", values.size())
                    .hasSameSizeAs(values);
            long highest = values.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(Http.value(Http.withoutCookies(tomcat.base()).post(counter))).isGreaterThan(highest);

            HttpResponse<String> undeploy = manager.get("/undeploy?path=/tally", "Authorization", OPS);
            assertThat(undeploy.body()).startsWith("OK - Undeployed application at context path [/tally]");
            assertThat(findLeaks(manager, "after the undeploy")).as(() -> "findleaks; Tomcat's warnings:\n"
                    + warnings(tomcat)).isEqualTo("OK - No memory leaks found");
            Set<String> left = new HashSet<>(threadNames(manager));
            left.removeAll(threadsBefore);
            left.removeIf(name -> CONTAINER_THREAD.matcher(name).matches());
            assertThat(left).as("threads started since the deployment and still alive after the undeploy").isEmpty();
        }
    }

    /**
     * Tomcat Manager's {@code findleaks}: it forces a full GC and lists the web applications stopped, reloaded or
     * undeployed whose class loader is still reachable. Asked every 2 s for up to {@value #LEAK_CHECK_SECONDS} s.
     *
     * <p>Why not at once: Tomcat stops an application with requests still running in it, and does not announce the
     * end of those requests to the application's listeners (it skips {@code requestDestroyed} for a context that is
     * no longer available). CDI's per-request thread-locals then stay on those request threads, and with them the
     * old class loader, until Tomcat renews the threads (its {@code ThreadLocalLeakPreventionListener}, one thread
     * per second as they finish their next request). Tomcat logs each such thread-local at the reload.
     */
    private static String findLeaks(Http manager, String when) throws InterruptedException {
        long start = System.nanoTime();
        String answer = "";
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(LEAK_CHECK_SECONDS)) {
            answer = manager.get("/findleaks?statusLine=true", "Authorization", OPS).body().strip();
            if (answer.equals("OK - No memory leaks found")) {
                break;
            }
            Thread.sleep(2000);
        }
        System.out.printf("RedeployUnderLoadIT: findleaks %s: \"%s\" after %.1f s%n", when,
                answer.replace('\n', ' '), (System.nanoTime() - start) / 1e9);
        return answer;
    }

    private static String warnings(StandaloneTomcat tomcat) {
        return tomcat.console().lines().filter(line -> line.contains(" WARNING ") || line.contains(" SEVERE "))
                .distinct().limit(40).reduce("", (all, line) -> all + line + "\n");
    }

    /** Tomcat's SEVERE lines, each with the lines after it (the stack trace), for a failure's message. */
    private static String errors(StandaloneTomcat tomcat) {
        List<String> lines = tomcat.console().lines().toList();
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < lines.size() && errors.length() < 20_000; i++) {
            if (lines.get(i).contains(" SEVERE ")) {
                lines.subList(i, Math.min(lines.size(), i + 25)).forEach(line -> errors.append(line).append('\n'));
            }
        }
        return errors.toString();
    }

    /** The names of the live threads of Tomcat's JVM, from the Manager's thread dump. */
    private static Set<String> threadNames(Http manager) {
        HttpResponse<String> dump = manager.get("/threaddump", "Authorization", OPS);
        assertThat(dump.statusCode()).isEqualTo(200);
        Set<String> names = new HashSet<>();
        Matcher matcher = Pattern.compile("(?m)^\"([^\"]+)\"").matcher(dump.body());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertThat(names).as("thread names in the dump").isNotEmpty();
        return names;
    }

    /**
     * {@value #CLIENTS} clients, each with its own session, each in turn incrementing the global counter, its session
     * counter, and writing then reading its own cache key. Every HTTP status is counted, every acknowledged counter
     * value kept, and an answer that contradicts what the same client saw before is recorded as wrong.
     */
    private static final class Load {
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final ConcurrentLinkedQueue<Long> counterValues = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> transportFailures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        /** Every answer that was not a success. */
        final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
        private final String base;
        private final String counter;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        private final List<Future<?>> clients = new ArrayList<>();
        private long started;
        private long stopped;

        Load(String base, String counter) {
            this.base = base;
            this.counter = counter;
        }

        void start() {
            started = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> run(client)));
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> client : clients) {
                client.get(2, TimeUnit.MINUTES);
            }
            stopped = System.nanoTime();
            pool.shutdown();
        }

        private void run(int client) {
            Http http = Http.withCookies(base);
            String session = null;
            long sessionValue = 0;
            String key = "/api/cache/redeploy-" + client + "-" + UUID.randomUUID().toString().substring(0, 8);
            String written = null;
            for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && running.get(); i++) {
                try {
                    switch (i % 4) {
                        case 0 -> {
                            HttpResponse<String> answer = send(() -> http.post(counter));
                            if (answer.statusCode() == 200) {
                                counterValues.add(Http.value(answer));
                            }
                        }
                        case 1 -> {
                            HttpResponse<String> answer = send(() -> http.post("/api/session/counter/inc"));
                            if (answer.statusCode() == 200) {
                                // The same session counts on by one; a new one (sessions do not outlive a reload
                                // with the default Manager) starts at 1.
                                long value = Http.value(answer);
                                long expected = http.sessionId().equals(session) ? sessionValue + 1 : 1;
                                if (value != expected) {
                                    wrongAnswers.add("client " + client + ": session counter " + value + ", expected "
                                            + expected);
                                }
                                session = http.sessionId();
                                sessionValue = value;
                            }
                        }
                        case 2 -> {
                            String value = "{\"client\":" + client + ",\"i\":" + i + "}";
                            if (send(() -> http.putJson(key, value)).statusCode() == 204) {
                                written = value;
                            }
                        }
                        default -> {
                            HttpResponse<String> answer = send(() -> http.get(key));
                            if (answer.statusCode() == 200 && !answer.body().equals(written + "\n")) {
                                wrongAnswers.add("client " + client + ": cache " + answer.body() + ", expected "
                                        + written);
                            }
                        }
                    }
                } catch (UncheckedIOException e) {
                    transportFailures.add("client " + client + ": " + e.getCause());
                }
            }
        }

        private HttpResponse<String> send(Supplier<HttpResponse<String>> request) {
            long sent = System.nanoTime();
            HttpResponse<String> answer = request.get();
            synchronized (statuses) {
                statuses.merge(answer.statusCode(), 1, Integer::sum);
            }
            if (answer.statusCode() >= 300) {
                refusals.add(new Refusal(answer.request().method() + " " + answer.uri().getPath(),
                        answer.statusCode(), answer.body(), sent, System.nanoTime()));
            }
            return answer;
        }

        void report() {
            int requests = statuses.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("RedeployUnderLoadIT: %d clients, %d reloads, %d requests in %.1f s, statuses %s, "
                    + "%d counter values acknowledged, %d transport failures%n", CLIENTS, RELOADS, requests,
                    (stopped - started) / 1e9, statuses, counterValues.size(), transportFailures.size());
            refusals.stream().limit(20).forEach(refusal -> System.out.println("  " + refusal.request() + ": "
                    + refusal.status() + " " + refusal.body().substring(0, Math.min(refusal.body().length(), 80))));
            transportFailures.stream().limit(3).forEach(failure -> System.out.println("  " + failure));
            wrongAnswers.stream().limit(3).forEach(wrong -> System.out.println("  " + wrong));
        }
    }

    /** An answer that was not a success, with when its request was sent and answered ({@link System#nanoTime()}). */
    private record Refusal(String request, int status, String body, long sent, long answered) {
    }
}
