package dev.tally.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.counter.StoreOutageIT.Outcome;
import dev.tally.support.Http;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Twenty clients incrementing one counter through Tally nodes while a store is disrupted (a master killed, a slot
 * moved), each request recorded as ok (its value), failed (its status) or indeterminate (no answer), for checks like
 * Jepsen's unique-ids checker. The run: load until {@value #BEFORE} increments are acknowledged, the disruption, then
 * load until {@value #AFTER} more are acknowledged (at most 90 s); no client sends more than {@value #MAX_PER_CLIENT}.
 */
final class FailoverLoad {

    static final int CLIENTS = 20;
    static final int BEFORE = 1_000;
    static final int AFTER = 500;
    private static final int MAX_PER_CLIENT = 5_000;

    /** What is done to the store mid-run. */
    interface Disruption {

        /** Just before the disruption (e.g. freezing a replication link); nothing by default. */
        default void prepare() throws Exception {
        }

        /** The disruption itself: the moment the run is measured from. */
        void disrupt() throws Exception;

        /** After it, while the load goes on: wait for the store to recover (a promotion), restart what was killed. */
        default void recover() throws Exception {
        }
    }

    record Timed(long sentAt, long answeredAt, Outcome outcome) {
    }

    record Result(List<Timed> outcomes, long disruptedAt, long recoveredAt, int okAfter) {

        List<Long> acknowledged() {
            return outcomes.stream().filter(t -> t.outcome.status() == 200).map(t -> t.outcome.value()).toList();
        }

        /** Values acknowledged more than once, in order. */
        List<Long> duplicates() {
            return acknowledged().stream().collect(Collectors.groupingBy(v -> v, Collectors.counting())).entrySet()
                    .stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        }

        List<Timed> failed() {
            return outcomes.stream().filter(t -> t.outcome.status() != 200).toList();
        }

        /** From the disruption to the first increment sent after it and acknowledged, in ms. */
        long millisWithoutService() {
            return TimeUnit.NANOSECONDS.toMillis(outcomes.stream().filter(t -> t.outcome.status() == 200
                    && t.sentAt > disruptedAt).mapToLong(t -> t.answeredAt).min().orElse(Long.MAX_VALUE)
                    - disruptedAt);
        }

        String summary() {
            List<Long> duplicates = duplicates();
            return String.format("%d requests, %d ok, %d failed (503), %d indeterminate; recovered %d ms after the "
                    + "disruption; first increment acknowledged %d ms after it; slowest failure %d ms; values "
                    + "acknowledged twice: %d %s", outcomes.size(), acknowledged().size(),
                    failed().stream().filter(t -> t.outcome.status() == 503).count(),
                    failed().stream().filter(t -> t.outcome.status() == 0).count(),
                    TimeUnit.NANOSECONDS.toMillis(recoveredAt - disruptedAt), millisWithoutService(),
                    failed().stream().mapToLong(t -> t.outcome.millis()).max().orElse(0), duplicates.size(),
                    duplicates.stream().limit(10).toList());
        }

        /**
         * What every disruption must keep: service back ({@value #AFTER} increments acknowledged after it), and every
         * failure a 503 {@code STORE_UNAVAILABLE} with Retry-After within the store timeout plus one second.
         */
        void assertEveryFailureA503AndServiceBack(long timeoutMillis) {
            assertThat(okAfter).as("service back after the disruption").isGreaterThanOrEqualTo(AFTER);
            assertThat(failed()).allSatisfy(t -> {
                assertThat(t.outcome.status()).as("a failure is a 503 problem").isEqualTo(503);
                assertThat(t.outcome.code()).isEqualTo("STORE_UNAVAILABLE");
                assertThat(t.outcome.retryAfter()).isTrue();
                assertThat(t.outcome.millis()).as("a failure comes within the timeout + 1 s")
                        .isLessThanOrEqualTo(timeoutMillis + 1_000);
            });
        }
    }

    private FailoverLoad() {
    }

    static Result run(List<Http> nodes, String counter, Disruption disruption) throws Exception {
        List<Timed> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger okAfter = new AtomicInteger();
        AtomicBoolean disrupted = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            Http http = nodes.get(c % nodes.size());
            clients.submit(() -> {
                for (int i = 0; i < MAX_PER_CLIENT && !stop.get(); i++) {
                    long sentAt = System.nanoTime();
                    boolean after = disrupted.get();
                    Outcome outcome = Outcome.of(http, counter);
                    outcomes.add(new Timed(sentAt, System.nanoTime(), outcome));
                    if (outcome.status() == 200) {
                        ok.incrementAndGet();
                        if (after) {
                            okAfter.incrementAndGet();
                        }
                    } else {
                        Thread.sleep(20); // a client told 503 with Retry-After does not hammer
                    }
                }
                return null;
            });
        }
        try {
            awaitAtLeast(ok, BEFORE, 60);
            disruption.prepare();
            disruption.disrupt();
            long disruptedAt = System.nanoTime();
            disrupted.set(true);
            disruption.recover();
            long recoveredAt = System.nanoTime();
            awaitAtLeast(okAfter, AFTER, 90);
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            synchronized (outcomes) {
                return new Result(List.copyOf(outcomes), disruptedAt, recoveredAt, okAfter.get());
            }
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }

    private static void awaitAtLeast(AtomicInteger count, int wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (count.get() < wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
