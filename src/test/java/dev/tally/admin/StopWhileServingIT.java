package dev.tally.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import dev.tally.support.TestServers;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * The application stops while requests are in flight, as in a redeploy or a pod's shutdown: Tally on Redis behind a
 * proxy that goes silent, so that increments hang in the store; the context is stopped under them; the store answers
 * again {@value #SILENCE_AFTER_STOP_MILLIS} ms after the stop began, longer than Tomcat waits for a servlet's requests
 * before it destroys it (2 s). Every increment in flight gets its value (200), none a closed store's 503; readiness is
 * never UP once the stop began (Tomcat answers 404 for a stopped context, or Tally 503 "stopping"); liveness and
 * readiness were UP before.
 */
class StopWhileServingIT {

    private static final int IN_FLIGHT = 5;
    private static final long SILENCE_AFTER_STOP_MILLIS = 3_000;

    @Test
    void requestsInFlightGetTheirAnswersAndReadinessIsDownOnceStopping() throws Exception {
        int redisPort = URI.create(TestServers.redisUrl("StopWhileServingIT")).getPort();
        NioReactor reactor = new NioReactor();
        TcpCrusher proxy = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", TestServers.freePort())
                .withConnectAddress("127.0.0.1", redisPort).buildAndOpen();
        String counter = "/api/counters/stop-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(Map.of(
                "tally.store", "redis://127.0.0.1:" + proxy.getBindAddress().getPort() + "/1",
                "tally.store.timeout", "8000"))) {
            Http http = Http.withoutCookies(tomcat.base());
            assertThat(http.get("/api/health/live").statusCode()).isEqualTo(200);
            assertThat(http.get("/api/health/ready").statusCode()).isEqualTo(200);
            assertThat(http.post(counter).statusCode()).isEqualTo(200);

            proxy.freeze();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                inFlight.add(CompletableFuture.supplyAsync(() -> http.post(counter)));
            }
            Thread.sleep(500);
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    tomcat.tallyContext().stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long stopBegan = System.nanoTime();
            List<Integer> readiness = new ArrayList<>();
            while (System.nanoTime() - stopBegan < TimeUnit.MILLISECONDS.toNanos(SILENCE_AFTER_STOP_MILLIS)) {
                readiness.add(http.get("/api/health/ready").statusCode());
                Thread.sleep(200);
            }
            proxy.unfreeze();

            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> request : inFlight) {
                HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            stop.get(60, TimeUnit.SECONDS);
            System.out.println("StopWhileServingIT: " + IN_FLIGHT + " increments in flight during the stop answered "
                    + statuses + "; readiness while stopping " + readiness);
            assertThat(readiness).isNotEmpty().doesNotContain(200);
        } finally {
            proxy.close();
            reactor.close();
        }
    }
}
