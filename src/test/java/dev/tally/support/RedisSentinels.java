package dev.tally.support;

import static dev.tally.support.RedisCli.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

/**
 * A Redis master, two replicas and three sentinels of a test's own, each a process on a free port of 127.0.0.1
 * (never the machine's Redis): the set-up Redis's own documentation calls the smallest that survives one failure.
 * The sentinels count the master down after one second without an answer, and two of them must agree. They are
 * asked with {@link RedisCli}, so that suites whose class path holds no Redis client can use them.
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
        return start(IntUnaryOperator.identity());
    }

    /**
     * As {@link #start()}, with the replicas replicating from the port {@code replicationPort} gives for the master's
     * (a proxy a test can freeze), while the sentinels watch the master itself.
     */
    public static Optional<RedisSentinels> start(IntUnaryOperator replicationPort) throws Exception {
        RedisSentinels set = new RedisSentinels();
        try {
            Optional<StoreProcess> master = StoreProcess.redis("--repl-diskless-sync", "yes",
                    "--repl-diskless-sync-delay", "0");
            if (master.isEmpty()) {
                return Optional.empty();
            }
            set.data.add(master.get().start());
            int masterPort = master.get().port();
            int upstream = replicationPort.applyAsInt(masterPort);
            for (int i = 0; i < 2; i++) {
                set.data.add(StoreProcess.redis("--replicaof", "127.0.0.1", String.valueOf(upstream),
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
            List<String> address = cli(sentinel.port(), "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
            if (address.size() == 2 && address.get(1).matches("[0-9]+")) {
                return Integer.parseInt(address.get(1));
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
        while (!cli(data.get(0).port(), "INFO", "replication").contains("connected_slaves:2")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replicas did not connect to the master");
            }
            Thread.sleep(100);
        }
    }

    private static boolean knowsEveryNode(StoreProcess sentinel) {
        List<String> master = cli(sentinel.port(), "SENTINEL", "master", MASTER_NAME);
        return field(master, "num-slaves").equals("2") && field(master, "num-other-sentinels").equals("2");
    }

    /** The value after {@code name} in a flat reply of names and values; empty if absent. */
    private static String field(List<String> reply, String name) {
        int at = reply.indexOf(name);
        return at >= 0 && at + 1 < reply.size() ? reply.get(at + 1) : "";
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
