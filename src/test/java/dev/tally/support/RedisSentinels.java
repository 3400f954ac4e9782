package dev.tally.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis master, two replicas and three sentinels of a test's own, each a process on a free port of 127.0.0.1
 * (never the machine's Redis): the set-up Redis's own documentation calls the smallest that survives one failure.
 * The sentinels count the master down after one second without an answer, and two of them must agree.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "tally";
    private static final int DOWN_AFTER_MILLIS = 1000;

    private final List<StoreProcess> data = new ArrayList<>();
    private final List<StoreProcess> sentinels = new ArrayList<>();

    private RedisSentinels() {
    }

    /** Starts the six processes and waits until every sentinel knows both replicas and the other sentinels. */
    public static Optional<RedisSentinels> start() throws Exception {
        RedisSentinels set = new RedisSentinels();
        try {
            Optional<StoreProcess> master = StoreProcess.redis("--repl-diskless-sync", "yes",
                    "--repl-diskless-sync-delay", "0");
            if (master.isEmpty()) {
                return Optional.empty();
            }
            set.data.add(master.get().start());
            int masterPort = master.get().port();
            for (int i = 0; i < 2; i++) {
                set.data.add(StoreProcess.redis("--replicaof", "127.0.0.1", String.valueOf(masterPort),
                        "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0").orElseThrow().start());
            }
            // Replicas first: a sentinel learns them from the master's INFO, which it asks for every 10 s.
            set.awaitReplicasConnected(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            for (int i = 0; i < 3; i++) {
                set.sentinels.add(StoreProcess.redisSentinel(MASTER_NAME, masterPort, DOWN_AFTER_MILLIS)
                        .orElseThrow().start());
            }
            set.awaitSentinelsKnowEveryNode(TimeUnit.SECONDS.toNanos(60));
            return Optional.of(set);
        } catch (Exception | Error e) {
            set.close();
            throw e;
        }
    }

    /** The store URL for database {@code db}, naming the three sentinels. */
    public String url(int db) {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port())
                .collect(Collectors.joining(",")) + "/" + MASTER_NAME + "/" + db;
    }

    /** The port of the master the sentinels name now. */
    public int masterPort() {
        for (StoreProcess sentinel : sentinels) {
            try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port(), 2000)) {
                List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                return Integer.parseInt(address.get(1));
            } catch (JedisException e) {
                // that sentinel is not answering: ask the next
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    /** SIGKILL to the current master; returns its port. */
    public int killMaster() throws InterruptedException {
        int port = masterPort();
        StoreProcess master = data.stream().filter(p -> p.port() == port).findFirst().orElseThrow();
        master.kill9();
        return port;
    }

    /** Waits until the sentinels name a master other than the one at {@code oldPort}; false if none within 60 s. */
    public boolean awaitNewMaster(int oldPort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (masterPort() != oldPort) {
                    return true;
                }
            } catch (IllegalStateException | IndexOutOfBoundsException notYet) {
                // asked mid-election
            }
            Thread.sleep(100);
        }
        return false;
    }

    private void awaitSentinelsKnowEveryNode(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (StoreProcess sentinel : sentinels) {
            while (!knowsEveryNode(sentinel)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sentinels did not find both replicas and each other");
                }
                Thread.sleep(200);
            }
        }
    }

    private void awaitReplicasConnected(long deadline) throws InterruptedException {
        try (Jedis master = new Jedis(new HostAndPort("127.0.0.1", data.get(0).port()))) {
            while (!master.info("replication").contains("connected_slaves:2")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replicas did not connect to the master");
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean knowsEveryNode(StoreProcess sentinel) {
        try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port(), 2000)) {
            return jedis.sentinelReplicas(MASTER_NAME).size() == 2 && jedis.sentinelSentinels(MASTER_NAME).size() == 2;
        } catch (JedisException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        for (StoreProcess process : sentinels) {
            process.close();
        }
        for (StoreProcess process : data) {
            process.close();
        }
    }
}
