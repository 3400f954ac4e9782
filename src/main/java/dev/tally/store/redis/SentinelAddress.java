package dev.tally.store.redis;

import dev.tally.config.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
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

    static boolean matches(String url) {
        return url.startsWith(SCHEME) || url.startsWith(TLS_SCHEME);
    }

    static SentinelAddress parse(String url) {
        boolean tls = url.startsWith(TLS_SCHEME);
        String rest = url.substring(tls ? TLS_SCHEME.length() : SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw invalid("it names no master: " + (tls ? TLS_SCHEME : SCHEME) + "host:port,.../MASTERNAME");
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String[] credentials = decodedUserInfo(authority.substring(0, at));
            user = credentials[0];
            password = credentials[1];
            authority = authority.substring(at + 1);
        }
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        for (String hostPort : authority.split(",", -1)) {
            sentinels.add(hostAndPort(hostPort));
        }
        String[] parts = path.split("/", -1);
        if (parts[0].isEmpty() || parts.length > 2) {
            throw invalid("the path is /MASTERNAME or /MASTERNAME/db");
        }
        int database = 0;
        if (parts.length == 2) {
            try {
                database = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw invalid("the database after the master's name is a number from 0");
            }
        }
        return new SentinelAddress(Set.copyOf(sentinels), parts[0], database, user, password, tls);
    }

    private static HostAndPort hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid("each sentinel is host:port, separated by commas");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw invalid("a sentinel's port is a number from 1 to 65535");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostAndPort(host, port);
    }

    /** {@code user:password}, {@code :password} or {@code password}, percent-decoded as in a redis:// URL. */
    private static String[] decodedUserInfo(String raw) {
        String decoded;
        try {
            decoded = new URI("redis://" + raw + "@h:1").getUserInfo();
        } catch (URISyntaxException e) {
            throw invalid("the user and password are not valid URL text (percent-encode them)");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new String[] {null, decoded};
        }
        String user = decoded.substring(0, colon);
        return new String[] {user.isEmpty() ? null : user, decoded.substring(colon + 1)};
    }

    private static InvalidSettingException invalid(String why) {
        return new InvalidSettingException("Invalid setting tally.store: not a valid Redis Sentinel URL: " + why);
    }

    @Override
    public String toString() {
        return (tls ? TLS_SCHEME : SCHEME) + sentinels + "/" + master + "/" + database;
    }
}
