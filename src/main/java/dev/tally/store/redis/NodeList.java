package dev.tally.store.redis;

import dev.tally.config.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * The part of a Sentinel or Cluster store URL after its scheme: {@code [user:password@]host:port,host:port,...},
 * then {@code path} (after the first '/', empty if none). No part of the URL is ever in an error message: it may hold
 * the password.
 *
 * @param nodes    the hosts, in the order given
 * @param user     null for none (the default user)
 * @param password null for none
 * @param path     what follows the first '/' after the hosts
 */
record NodeList(Set<HostAndPort> nodes, String user, String password, String path) {

    static NodeList parse(String what, String rest) {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String decoded = decodedUserInfo(what, authority.substring(0, at));
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                password = decoded;
            } else {
                user = colon == 0 ? null : decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
            authority = authority.substring(at + 1);
        }
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String hostPort : authority.split(",", -1)) {
            nodes.add(hostAndPort(what, hostPort));
        }
        return new NodeList(Set.copyOf(nodes), user, password, path);
    }

    private static HostAndPort hostAndPort(String what, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid(what, "each node is host:port, separated by commas");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw invalid(what, "a port is a number from 1 to 65535");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostAndPort(host, port);
    }

    /** {@code user:password}, {@code :password} or {@code password}, percent-decoded as in a redis:// URL. */
    private static String decodedUserInfo(String what, String raw) {
        try {
            return new URI("redis://" + raw + "@h:1").getUserInfo();
        } catch (URISyntaxException e) {
            throw invalid(what, "the user and password are not valid URL text (percent-encode them)");
        }
    }

    static InvalidSettingException invalid(String what, String why) {
        return new InvalidSettingException("Invalid setting tally.store: not a valid " + what + " URL: " + why);
    }

    @Override
    public String toString() {
        return nodes + "/" + path;
    }
}
