package dev.tally.support;

import static dev.tally.support.RedisCli.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of a test's own: three masters and three replicas, each a process on a free port of 127.0.0.1
 * (never the machine's Redis), made with {@code redis-cli --cluster create}. A node that does not answer for one
 * second ({@code cluster-node-timeout}) is failed over to its replica. Driven through {@code redis-cli}, so that
 * suites whose class path holds no Redis client can use it.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    private static final int NODE_TIMEOUT_MILLIS = 1000;

    private final List<StoreProcess> nodes = new ArrayList<>();

    private RedisClusterProcesses() {
    }

    /** Starts six nodes, makes them a cluster, and waits until every node sees every slot served. */
    public static Optional<RedisClusterProcesses> start() throws Exception {
        RedisClusterProcesses cluster = new RedisClusterProcesses();
        try {
            for (int i = 0; i < 6; i++) {
                // The bus port is given: by default it is the port + 10 000, past 65 535 for a high free port.
                Optional<StoreProcess> node = StoreProcess.redis("--cluster-enabled", "yes",
                        "--cluster-port", String.valueOf(TestServers.freePort()),
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                        String.valueOf(NODE_TIMEOUT_MILLIS), "--repl-diskless-sync", "yes",
                        "--repl-diskless-sync-delay", "0");
                if (node.isEmpty()) {
                    return Optional.empty();
                }
                cluster.nodes.add(node.get().start());
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            cluster.nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            List<String> output = cli(cluster.nodes.get(0).port(), create.toArray(String[]::new));
            if (output.stream().noneMatch(line -> line.contains("All 16384 slots covered"))) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
            cluster.awaitHealthy(TimeUnit.SECONDS.toNanos(60));
            return Optional.of(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The store URL, naming every node (the client needs one that answers). */
    public String url() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** The port of the master that serves {@code key}'s slot now, as a live node sees it. */
    public int masterOf(String key) {
        int port = anyLivePort();
        int slot = Integer.parseInt(cli(port, "CLUSTER", "KEYSLOT", key).get(0));
        for (String line : cli(port, "CLUSTER", "NODES")) {
            String[] fields = line.split(" ");
            if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
                for (int i = 8; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue; // a slot being migrated or imported
                    }
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1,
                                fields[1].indexOf('@')));
                    }
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Another master than the one at {@code port}. */
    public int otherMaster(int port) {
        for (String line : cli(anyLivePort(), "CLUSTER", "NODES")) {
            String[] fields = line.split(" ");
            int nodePort = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
            if (fields[2].contains("master") && !fields[2].contains("fail") && nodePort != port) {
                return nodePort;
            }
        }
        throw new IllegalStateException("no other master");
    }

    /** The node at {@code port}. */
    public StoreProcess node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** Moves every slot of the master at {@code from} to the one at {@code to}, with redis-cli; its output. */
    public List<String> reshardAll(int from, int to) {
        String fromId = cli(from, "CLUSTER", "MYID").get(0);
        String toId = cli(to, "CLUSTER", "MYID").get(0);
        int slots = 0;
        for (String line : cli(from, "CLUSTER", "NODES")) {
            if (line.startsWith(fromId)) {
                String[] fields = line.split(" ");
                for (int i = 8; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    slots += range.length > 1 ? Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1 : 1;
                }
            }
        }
        return cli(from, "--cluster", "reshard", "127.0.0.1:" + from, "--cluster-from", fromId, "--cluster-to", toId,
                "--cluster-slots", String.valueOf(slots), "--cluster-yes");
    }

    /** Waits until a master other than the one at {@code oldPort} serves {@code key}; false if none within 60 s. */
    public boolean awaitNewMasterOf(String key, int oldPort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (masterOf(key) != oldPort) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // asked mid-election
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Waits until every live node reports the cluster ok. */
    public void awaitHealthy(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (StoreProcess node : nodes) {
            if (!node.alive()) {
                continue;
            }
            while (!cli(node.port(), "CLUSTER", "INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not become healthy");
                }
                Thread.sleep(100);
            }
        }
    }

    private int anyLivePort() {
        return nodes.stream().filter(StoreProcess::alive).findFirst().orElseThrow().port();
    }

    @Override
    public void close() throws Exception {
        for (StoreProcess node : nodes) {
            node.close();
        }
    }
}
