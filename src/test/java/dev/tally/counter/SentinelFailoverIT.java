package dev.tally.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.counter.StoreOutageIT.Outcome;
import dev.tally.support.Http;
import dev.tally.support.RedisSentinels;
import dev.tally.support.TestServers;
import dev.tally.support.TomcatProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A Redis failover under load, as Sentinel runs it: a master, two replicas and three sentinels of the test's own; two
 * Tally JVMs that know only the sentinels; twenty clients incrementing one counter (ten on each JVM). Once a
 * thousand increments are acknowledged the master is killed with SIGKILL; the sentinels count it down after one
 * second, promote a replica, and the run goes on until five hundred more are acknowledged. Every request is recorded
 * as ok (its value), failed (its status) or indeterminate (no answer), and checked like Jepsen's unique-ids checker.
 *
 * <p>Two kinds of failure. A plain kill: on one machine replication is quicker than the kill, so even without
 * waiting for replicas nothing acknowledged is usually lost, and the test reports what it saw. A lagging kill: the
 * replicas replicate through a proxy in this JVM, which stops passing anything on for half a second before the kill
 * and drops what it holds after it, as a slow or cut replication link does. Without {@code tally.store.replicas} the
 * master acknowledges increments that no replica ever gets, and the new master hands the same numbers out again:
 * the test requires that it happens, since it is what the setting is for. With {@code tally.store.replicas=1} those
 * increments wait for a replica, time out as 503, and no acknowledged value is handed out twice.
 */
class SentinelFailoverIT {

    private static final int CLIENTS = 20;
    private static final int TIMEOUT_MILLIS = 2000;
    private static final int BEFORE_KILL = 1_000;
    private static final int AFTER_KILL = 500;
    /** A bound on the run, whatever happens: no client sends more than this. */
    private static final int MAX_PER_CLIENT = 5_000;

    @ParameterizedTest(name = "tally.store.replicas={0}, replication lagging at the kill: {1}")
    @CsvSource({"0, false", "0, true", "1, true"})
    void aKilledMasterIsReplacedAndOnlyWaitingForAReplicaKeepsEveryAcknowledgedValue(int replicas, boolean lagging)
            throws Exception {
        NioReactor reactor = new NioReactor();
        TcpCrusher[] link = new TcpCrusher[1];
        int linkPort = TestServers.freePort();
        Optional<RedisSentinels> started = RedisSentinels.start(lagging ? masterPort -> {
            link[0] = TcpCrusherBuilder.builder().withReactor(reactor).withBindAddress("127.0.0.1", linkPort)
                    .withConnectAddress("127.0.0.1", masterPort).buildAndOpen();
            return linkPort;
        } : IntUnaryOperator.identity());
        Assumptions.assumeTrue(started.isPresent(), "no redis-server binary on this machine");
        try (RedisSentinels sentinels = started.get()) {
            System.out.println("SentinelFailoverIT: a master, two replicas and three sentinels of its own, at "
                    + sentinels.url(0) + (lagging ? ", replicating through a proxy" : ""));
            List<TomcatProcess> nodes = TomcatProcess.start(2, Map.of("tally.store", sentinels.url(0),
                    "tally.store.timeout", String.valueOf(TIMEOUT_MILLIS),
                    "tally.store.replicas", String.valueOf(replicas)));
            try {
                Run run = failover(sentinels, nodes.stream().map(n -> Http.withoutCookies(n.base())).toList(),
                        link[0]);

                List<Long> acknowledged = run.outcomes.stream().filter(t -> t.outcome.status() == 200)
                        .map(t -> t.outcome.value()).toList();
                List<Long> duplicates = acknowledged.stream()
                        .collect(Collectors.groupingBy(v -> v, Collectors.counting())).entrySet().stream()
                        .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
                List<Timed> failed = run.outcomes.stream().filter(t -> t.outcome.status() != 200).toList();
                long firstOkAfterKill = run.outcomes.stream().filter(t -> t.outcome.status() == 200
                        && t.sentAt > run.killedAt).mapToLong(t -> t.answeredAt).min().orElse(Long.MAX_VALUE);
                System.out.printf("SentinelFailoverIT replicas=%d%s: %d requests, %d ok, %d failed (503), %d "
                        + "indeterminate; master %d killed, %d promoted %d ms later; first increment acknowledged "
                        + "%d ms after the kill; slowest failure %d ms; values acknowledged twice: %d %s%n", replicas,
                        lagging ? ", replication lagging" : "",
                        run.outcomes.size(), acknowledged.size(),
                        failed.stream().filter(t -> t.outcome.status() == 503).count(),
                        failed.stream().filter(t -> t.outcome.status() == 0).count(), run.oldMaster, run.newMaster,
                        millis(run.promotedAt - run.killedAt), millis(firstOkAfterKill - run.killedAt),
                        failed.stream().mapToLong(t -> t.outcome.millis()).max().orElse(0), duplicates.size(),
                        duplicates.stream().limit(10).toList());

                assertThat(run.newMaster).as("the sentinels promoted a replica").isNotEqualTo(run.oldMaster);
                assertThat(run.okAfterKill).as("service resumed on the new master").isGreaterThanOrEqualTo(AFTER_KILL);
                assertThat(failed).as("the failover failed some requests").isNotEmpty();
                assertThat(failed).allSatisfy(t -> {
                    assertThat(t.outcome.status()).as("a failure is a 503 problem").isEqualTo(503);
                    assertThat(t.outcome.code()).isEqualTo("STORE_UNAVAILABLE");
                    assertThat(t.outcome.retryAfter()).isTrue();
                    assertThat(t.outcome.millis()).as("a failure comes within the timeout + 1 s")
                            .isLessThanOrEqualTo(TIMEOUT_MILLIS + 1_000);
                });
                if (replicas > 0) {
                    assertThat(duplicates).as("values acknowledged twice, with every change on a replica first")
                            .isEmpty();
                } else if (lagging) {
                    assertThat(duplicates).as("values acknowledged twice when the master acknowledged alone")
                            .isNotEmpty();
                }
            } finally {
                for (TomcatProcess node : nodes) {
                    node.close();
                }
            }
        } finally {
            if (link[0] != null) {
                link[0].close();
            }
            reactor.close();
        }
    }

    /**
     * Load, kill -9 of the master, load until {@value #AFTER_KILL} more are acknowledged (at most 90 s). With a
     * replication {@code link}, it passes nothing on for the last half second before the kill, and drops what it holds
     * after it.
     */
    private static Run failover(RedisSentinels sentinels, List<Http> nodes, TcpCrusher link) throws Exception {
        String counter = "/api/counters/failover-" + UUID.randomUUID().toString().substring(0, 8);
        List<Timed> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger okAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            Http http = nodes.get(c % nodes.size());
            clients.submit(() -> {
                for (int i = 0; i < MAX_PER_CLIENT && !stop.get(); i++) {
                    long sentAt = System.nanoTime();
                    boolean afterKill = killed.get();
                    Outcome outcome = Outcome.of(http, counter);
                    outcomes.add(new Timed(sentAt, System.nanoTime(), outcome));
                    if (outcome.status() == 200) {
                        ok.incrementAndGet();
                        if (afterKill) {
                            okAfterKill.incrementAndGet();
                        }
                    } else {
                        Thread.sleep(20); // a client told 503 with Retry-After does not hammer
                    }
                }
                return null;
            });
        }
        try {
            awaitAtLeast(ok, BEFORE_KILL, 60);
            if (link != null) {
                link.freeze();
                Thread.sleep(500);
            }
            int oldMaster = sentinels.killMaster();
            long killedAt = System.nanoTime();
            killed.set(true);
            if (link != null) {
                link.close();
            }
            assertThat(sentinels.awaitNewMaster(oldMaster)).as("a new master within 60 s").isTrue();
            long promotedAt = System.nanoTime();
            int newMaster = sentinels.masterPort();
            awaitAtLeast(okAfterKill, AFTER_KILL, 90);
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            synchronized (outcomes) {
                return new Run(List.copyOf(outcomes), killedAt, promotedAt, oldMaster, newMaster, okAfterKill.get());
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

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private record Timed(long sentAt, long answeredAt, Outcome outcome) {
    }

    private record Run(List<Timed> outcomes, long killedAt, long promotedAt, int oldMaster, int newMaster,
            int okAfterKill) {
    }
}
