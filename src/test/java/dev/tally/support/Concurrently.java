package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs many clients at once, each on its own thread, all released together by one latch, and collects every
 * result. A failure of any client fails the test.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /** A client's {@code request}-th request. */
    @FunctionalInterface
    public interface Request<T> {
        T send(int client, int request) throws Exception;
    }

    /**
     * @return every result, {@code clients * requestsEach} of them
     */
    public static <T> List<T> run(int clients, int requestsEach, Request<T> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<T> results = new ArrayList<>(requestsEach);
                    for (int r = 0; r < requestsEach; r++) {
                        results.add(request.send(client, r));
                    }
                    return results;
                }));
            }
            start.countDown();
            List<T> all = new ArrayList<>(clients * requestsEach);
            for (Future<List<T>> future : futures) {
                all.addAll(future.get(5, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until {@code condition} holds, checking every millisecond; fails the test after 30 s. */
    public static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 30 s").isNegative();
            Thread.sleep(1);
        }
    }
}
