package dev.tally.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.RedisClusterProcesses;
import dev.tally.support.TomcatProcess;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Redis Cluster under load (three masters and three replicas of the test's own; two Tally JVMs that know only the
 * nodes' addresses; twenty clients incrementing one counter), checked like Jepsen's unique-ids checker
 * ({@link FailoverLoad}):
 * <ul>
 *   <li>the master of the counter's slot killed with SIGKILL: its replica is promoted after the cluster's node timeout
 *       (one second), and the killed node, started again, comes back as the new master's replica. With
 *       {@code tally.store.replicas=1} no acknowledged value is handed out twice; with 0 the test reports what it
 *       saw;</li>
 *   <li>every slot of the counter's master moved to another master by {@code redis-cli --cluster reshard} while the
 *       load goes on: the client follows ASK and MOVED, and nothing is lost.</li>
 * </ul>
 */
class ClusterFailoverIT {

    private static final int TIMEOUT_MILLIS = 2000;

    @ParameterizedTest(name = "tally.store.replicas={0}")
    @ValueSource(ints = {0, 1})
    void aKilledMasterIsReplacedByItsReplicaAndNoAcknowledgedValueIsHandedOutTwice(int replicas) throws Exception {
        Optional<RedisClusterProcesses> started = RedisClusterProcesses.start();
        Assumptions.assumeTrue(started.isPresent(), "no redis-server binary on this machine");
        try (RedisClusterProcesses cluster = started.get()) {
            String name = "failover-" + UUID.randomUUID().toString().substring(0, 8);
            String key = "tally:counter:" + name;
            int[] masters = new int[2];
            FailoverLoad.Result run = underLoad(cluster, replicas, name, new FailoverLoad.Disruption() {
                @Override
                public void disrupt() throws InterruptedException {
                    masters[0] = cluster.masterOf(key);
                    cluster.node(masters[0]).kill9();
                }

                @Override
                public void recover() throws Exception {
                    assertThat(cluster.awaitNewMasterOf(key, masters[0])).as("a replica promoted within 60 s")
                            .isTrue();
                    masters[1] = cluster.masterOf(key);
                    cluster.node(masters[0]).start(); // back as the new master's replica
                }
            });
            System.out.printf("ClusterFailoverIT replicas=%d: master %d of the counter's slot killed, %d promoted; "
                    + "%s%n", replicas, masters[0], masters[1], run.summary());

            assertThat(masters[1]).as("the replica was promoted").isNotEqualTo(masters[0]);
            run.assertEveryFailureA503AndServiceBack(TIMEOUT_MILLIS);
            if (replicas > 0) {
                assertThat(run.duplicates()).as("values acknowledged twice, with every change on a replica first")
                        .isEmpty();
            }
        }
    }

    @Test
    void aSlotMigrationUnderLoadLosesNothing() throws Exception {
        Optional<RedisClusterProcesses> started = RedisClusterProcesses.start();
        Assumptions.assumeTrue(started.isPresent(), "no redis-server binary on this machine");
        try (RedisClusterProcesses cluster = started.get()) {
            String name = "reshard-" + UUID.randomUUID().toString().substring(0, 8);
            String key = "tally:counter:" + name;
            int[] masters = new int[2];
            List<String>[] output = new List[1];
            long[] reshardMillis = new long[1];
            FailoverLoad.Result run = underLoad(cluster, 0, name, () -> {
                masters[0] = cluster.masterOf(key);
                masters[1] = cluster.otherMaster(masters[0]);
                long start = System.nanoTime();
                output[0] = cluster.reshardAll(masters[0], masters[1]);
                reshardMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            List<Long> acknowledged = run.acknowledged();
            System.out.printf("ClusterFailoverIT reshard: every slot of master %d moved to %d in %d ms; %s%n",
                    masters[0], masters[1], reshardMillis[0], run.summary());

            assertThat(cluster.masterOf(key)).as("the counter's slot moved; redis-cli said %s", output[0])
                    .isEqualTo(masters[1]);
            run.assertEveryFailureA503AndServiceBack(TIMEOUT_MILLIS);
            assertThat(acknowledged).doesNotHaveDuplicates();
            if (run.failed().isEmpty()) {
                assertThat(new HashSet<>(acknowledged)).as("every value from 1 to %d, none missing",
                        acknowledged.size()).isEqualTo(new HashSet<>(LongStream.rangeClosed(1, acknowledged.size())
                        .boxed().toList()));
            }
        }
    }

    private static FailoverLoad.Result underLoad(RedisClusterProcesses cluster, int replicas, String name,
            FailoverLoad.Disruption disruption) throws Exception {
        System.out.println("ClusterFailoverIT: three masters and three replicas of its own, at " + cluster.url());
        List<TomcatProcess> nodes = TomcatProcess.start(2, Map.of("tally.store", cluster.url(),
                "tally.store.timeout", String.valueOf(TIMEOUT_MILLIS),
                "tally.store.replicas", String.valueOf(replicas)));
        try {
            return FailoverLoad.run(nodes.stream().map(n -> Http.withoutCookies(n.base())).toList(),
                    "/api/counters/" + name, disruption);
        } finally {
            for (TomcatProcess node : nodes) {
                node.close();
            }
        }
    }
}
