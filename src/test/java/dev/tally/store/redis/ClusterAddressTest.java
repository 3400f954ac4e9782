package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.InvalidSettingException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class ClusterAddressTest {

    @Test
    void nodesAndCredentialsAreRead() {
        ClusterAddress address = ClusterAddress.parse("rediss-cluster://app:pw%2F1@10.0.0.1:7000,10.0.0.2:7001");

        assertThat(address.nodes()).isEqualTo(Set.of(new HostAndPort("10.0.0.1", 7000),
                new HostAndPort("10.0.0.2", 7001)));
        assertThat(address.user()).isEqualTo("app");
        assertThat(address.password()).isEqualTo("pw/1");
        assertThat(address.tls()).isTrue();
        assertThat(address.toString()).doesNotContain("pw");
        assertThat(ClusterAddress.parse("redis-cluster://h:7000").password()).isNull();
    }

    @Test
    void aDatabaseOrAMalformedNodeIsRefusedWithoutRepeatingTheUrl() {
        for (String bad : new String[] {"redis-cluster://secretpw@h:7000/1", "redis-cluster://secretpw@h",
            "redis-cluster://secretpw@h:7000,", "redis-cluster://secretpw@h:0"}) {
            assertThatThrownBy(() -> ClusterAddress.parse(bad)).as(bad).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("Redis Cluster").hasMessageNotContaining("secretpw");
        }
    }
}
