package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.InvalidSettingException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class SentinelAddressTest {

    @Test
    void sentinelsMasterDatabaseAndCredentialsAreRead() {
        SentinelAddress address = SentinelAddress.parse(
                "redis-sentinel://app:s%40cret@10.0.0.1:26379,10.0.0.2:26380,[::1]:26381/orders/3");

        assertThat(address.sentinels()).isEqualTo(Set.of(new HostAndPort("10.0.0.1", 26379),
                new HostAndPort("10.0.0.2", 26380), new HostAndPort("::1", 26381)));
        assertThat(address.master()).isEqualTo("orders");
        assertThat(address.database()).isEqualTo(3);
        assertThat(address.user()).isEqualTo("app");
        assertThat(address.password()).isEqualTo("s@cret");
        assertThat(address.tls()).isFalse();
        assertThat(address.toString()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void aPasswordAloneTlsAndTheDefaultDatabase() {
        SentinelAddress address = SentinelAddress.parse("rediss-sentinel://:pw@h:26379/tally");

        assertThat(address.user()).isNull();
        assertThat(address.password()).isEqualTo("pw");
        assertThat(address.database()).isZero();
        assertThat(address.tls()).isTrue();
        assertThat(SentinelAddress.parse("redis-sentinel://h:26379/tally").password()).isNull();
    }

    @Test
    void aMalformedUrlIsRefusedWithoutRepeatingIt() {
        for (String bad : new String[] {"redis-sentinel://secretpw@h:26379", "redis-sentinel://secretpw@h/tally",
            "redis-sentinel://secretpw@h:99999/tally", "redis-sentinel://secretpw@h:1,/tally",
            "redis-sentinel://secretpw@h:1/tally/x", "redis-sentinel://secretpw@h:1//"}) {
            assertThatThrownBy(() -> SentinelAddress.parse(bad)).as(bad).isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Invalid setting tally.store").hasMessageNotContaining("secretpw");
        }
    }

    @Test
    void optionsNeverPrintTheirPasswords() {
        assertThat(new RedisOptions(1, "/t.p12", "trustpw", "/k.p12", "keypw").toString())
                .doesNotContain("trustpw").doesNotContain("keypw").contains("replicas=1");
    }
}
