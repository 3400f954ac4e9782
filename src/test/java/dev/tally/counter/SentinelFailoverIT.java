package dev.tally.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.RedisSentinels;
import dev.tally.support.TestServers;
import dev.tally.support.TomcatProcess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
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

    private static final int TIMEOUT_MILLIS = 2000;

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
                int[] masters = new int[2];
                FailoverLoad.Result run = FailoverLoad.run(nodes.stream().map(n -> Http.withoutCookies(n.base()))
                        .toList(), "/api/counters/failover-" + UUID.randomUUID().toString().substring(0, 8),
                        new FailoverLoad.Disruption() {
                            @Override
                            public void prepare() throws InterruptedException {
                                if (link[0] != null) {
                                    link[0].freeze(); // the replicas get nothing more
                                    Thread.sleep(500);
                                }
                            }

                            @Override
                            public void disrupt() throws InterruptedException {
                                masters[0] = sentinels.killMaster();
                                if (link[0] != null) {
                                    link[0].close(); // and what the link held is lost
                                }
                            }

                            @Override
                            public void recover() throws InterruptedException {
                                assertThat(sentinels.awaitNewMaster(masters[0])).as("a new master within 60 s")
                                        .isTrue();
                                masters[1] = sentinels.masterPort();
                            }
                        });
                System.out.printf("SentinelFailoverIT replicas=%d%s: master %d killed, %d promoted; %s%n", replicas,
                        lagging ? ", replication lagging" : "", masters[0], masters[1], run.summary());

                assertThat(masters[1]).as("the sentinels promoted a replica").isNotEqualTo(masters[0]);
                assertThat(run.failed()).as("the failover failed some requests").isNotEmpty();
                run.assertEveryFailureA503AndServiceBack(TIMEOUT_MILLIS);
                if (replicas > 0) {
                    assertThat(run.duplicates()).as("values acknowledged twice, with every change on a replica "
                            + "first").isEmpty();
                } else if (lagging) {
                    assertThat(run.duplicates()).as("values acknowledged twice when the master acknowledged alone")
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
}
