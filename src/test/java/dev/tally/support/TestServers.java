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

    /** A Redis URL, database 1 of the machine's Redis, or an embedded one started once for this JVM. */
    public static synchronized String redisUrl(String suite) throws IOException {
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
        System.out.println(suite + ": using " + (embeddedRedis == null ? "the Redis server at 127.0.0.1:6379"
                : "an embedded Redis (binary from the embedded-redis artifact) at " + redisUrl));
        return redisUrl;
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
