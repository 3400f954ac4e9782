package dev.tally.store.redis;

import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * A Redis Sentinel store URL: {@code redis-sentinel://[user:password@]host1:26379,host2:26379,host3:26379/MASTER[/db]},
 * or {@code rediss-sentinel://...} for TLS to the sentinels and the master alike. The user and password are the
 * master's (and its replicas'); the sentinels are asked without one. No part of the URL is ever in an error message:
 * it may hold the password.
 *
 * @param sentinels where to ask which node is the master, in the order given
 * @param master    the name the sentinels monitor it by ({@code sentinel monitor NAME ...})
 */
record SentinelAddress(Set<HostAndPort> sentinels, String master, int database, String user, String password,
        boolean tls) {

    static final String SCHEME = "redis-sentinel://";
    static final String TLS_SCHEME = "rediss-sentinel://";
    private static final String WHAT = "Redis Sentinel";

    static boolean matches(String url) {
        return url.startsWith(SCHEME) || url.startsWith(TLS_SCHEME);
    }

    static SentinelAddress parse(String url) {
        boolean tls = url.startsWith(TLS_SCHEME);
        String rest = url.substring(tls ? TLS_SCHEME.length() : SCHEME.length());
        if (rest.indexOf('/') < 0) {
            throw NodeList.invalid(WHAT, "it names no master: " + (tls ? TLS_SCHEME : SCHEME)
                    + "host:port,.../MASTERNAME");
        }
        NodeList list = NodeList.parse(WHAT, rest);
        String[] parts = list.path().split("/", -1);
        if (parts[0].isEmpty() || parts.length > 2) {
            throw NodeList.invalid(WHAT, "the path is /MASTERNAME or /MASTERNAME/db");
        }
        int database = 0;
        if (parts.length == 2) {
            try {
                database = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw NodeList.invalid(WHAT, "the database after the master's name is a number from 0");
            }
        }
        return new SentinelAddress(list.nodes(), parts[0], database, list.user(), list.password(), tls);
    }

    @Override
    public String toString() {
        return (tls ? TLS_SCHEME : SCHEME) + sentinels + "/" + master + "/" + database;
    }
}
