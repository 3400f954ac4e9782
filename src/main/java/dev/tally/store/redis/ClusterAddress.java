package dev.tally.store.redis;

import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * A Redis Cluster store URL: {@code redis-cluster://[user:password@]host1:7000,host2:7001,...}, or
 * {@code rediss-cluster://...} for TLS. The nodes are where to start: the client learns the rest of the cluster, and
 * which node holds which slot, from any one of them. A cluster has only database 0, so the URL has no path.
 */
record ClusterAddress(Set<HostAndPort> nodes, String user, String password, boolean tls) {

    static final String SCHEME = "redis-cluster://";
    static final String TLS_SCHEME = "rediss-cluster://";
    private static final String WHAT = "Redis Cluster";

    static boolean matches(String url) {
        return url.startsWith(SCHEME) || url.startsWith(TLS_SCHEME);
    }

    static ClusterAddress parse(String url) {
        boolean tls = url.startsWith(TLS_SCHEME);
        NodeList list = NodeList.parse(WHAT, url.substring(tls ? TLS_SCHEME.length() : SCHEME.length()));
        if (!list.path().isEmpty()) {
            throw NodeList.invalid(WHAT, "a cluster has only database 0, so the URL ends after its nodes");
        }
        return new ClusterAddress(list.nodes(), list.user(), list.password(), tls);
    }

    @Override
    public String toString() {
        return (tls ? TLS_SCHEME : SCHEME) + nodes;
    }
}
