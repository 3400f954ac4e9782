package dev.tally.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import redis.embedded.RedisServer;

/**
 * The store servers tests run against: the real ones on this machine (Redis 127.0.0.1:6379, PostgreSQL
 * 127.0.0.1:5432 database {@code test}, MariaDB 127.0.0.1:3306 database {@code test}) when they answer. Without
 * them, Redis falls back to a server started from the binary the {@code embedded-redis} artifact ships, and the
 * PostgreSQL and MariaDB suites are skipped. Each choice is printed, so the output says which server a suite used.
 */
public final class TestServers {

    private static RedisServer embeddedRedis;
    private static String redisUrl;

    private TestServers() {
    }

    /**
     * A Redis URL, database 1 of the machine's Redis, or an embedded one started once for this JVM. With the system
     * property {@code tally.it.redis} set to {@code sentinel} or {@code cluster} (the redis-sentinel and
     * redis-cluster test executions), a Sentinel-managed set (database 1) or a cluster of this JVM's own instead, so
     * that every suite that uses Redis runs on it.
     */
    public static synchronized String redisUrl(String suite) throws IOException {
        String ha = System.getProperty("tally.it.redis", "");
        if (redisUrl == null && !ha.isEmpty()) {
            redisUrl = highlyAvailable(ha);
        }
        if (redisUrl == null) {
            if (reachable(6379)) {
                redisUrl = "redis://127.0.0.1:6379/1";
            } else {
                int port = freePort();
                embeddedRedis = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                embeddedRedis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopEmbeddedRedis));
                redisUrl = "redis://127.0.0.1:" + port + "/1";
            }
        }
        System.out.println(suite + ": using " + (!ha.isEmpty() ? "a Redis " + ha + " of this JVM's own at " + redisUrl
                : embeddedRedis == null ? "the Redis server at 127.0.0.1:6379"
                : "an embedded Redis (binary from the embedded-redis artifact) at " + redisUrl));
        return redisUrl;
    }

    /** Whether suites run on a Redis Sentinel or Cluster (see {@link #redisUrl}). */
    public static boolean highlyAvailableRedis() {
        return !System.getProperty("tally.it.redis", "").isEmpty();
    }

    private static String highlyAvailable(String kind) throws IOException {
        try {
            AutoCloseable servers;
            String url;
            if (kind.equals("sentinel")) {
                RedisSentinels sentinels = RedisSentinels.start().orElse(null);
                Assumptions.assumeTrue(sentinels != null, "SKIPPED: tally.it.redis=sentinel needs redis-server");
                servers = sentinels;
                url = sentinels.url(1);
            } else if (kind.equals("cluster")) {
                RedisClusterProcesses cluster = RedisClusterProcesses.start().orElse(null);
                Assumptions.assumeTrue(cluster != null, "SKIPPED: tally.it.redis=cluster needs redis-server");
                servers = cluster;
                url = cluster.url();
            } else {
                throw new IllegalArgumentException("tally.it.redis is sentinel or cluster, not " + kind);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    servers.close();
                } catch (Exception e) {
                    // the JVM is ending
                }
            }));
            return url;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The machine's PostgreSQL, database test, or the calling suite is skipped. */
    public static String postgresUrl(String suite) {
        return jdbc(suite, "PostgreSQL", 5432, "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    /** The machine's MariaDB, database test, or the calling suite is skipped. */
    public static String mariadbUrl(String suite) {
        return jdbc(suite, "MariaDB", 3306, "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    }

    private static String jdbc(String suite, String server, int port, String url) {
        boolean up = reachable(port);
        System.out.println(suite + ": " + (up ? "using the " + server + " server at 127.0.0.1:" + port
                : "SKIPPED, no " + server + " server at 127.0.0.1:" + port));
        Assumptions.assumeTrue(up, "no " + server + " server at 127.0.0.1:" + port);
        return url;
    }

    public static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static synchronized void stopEmbeddedRedis() {
        try {
            if (embeddedRedis != null) {
                embeddedRedis.stop();
            }
        } catch (IOException e) {
            // exiting anyway
        }
    }
}
