package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void contextParameterWinsOverSystemPropertyWhichWinsOverEnvironment() {
        Map<String, String> context = Map.of("tally.store", "from-context");
        Map<String, String> system = Map.of("tally.store", "from-system", "tally.cache.defaultTtl", "60");
        Map<String, String> env = Map.of("TALLY_STORE", "from-env", "TALLY_CACHE_DEFAULTTTL", "30",
                "TALLY_CACHE_MAXENTRIES", "7");
        Settings settings = new Settings(context::get, system::get, env);

        assertThat(settings.string("tally.store", "memory")).isEqualTo("from-context");
        assertThat(settings.integer("tally.cache.defaultTtl", 300, 1, 1000)).isEqualTo(60);
        assertThat(settings.integer("tally.cache.maxEntries", 10, 1, 1000)).isEqualTo(7);
        assertThat(settings.integer("tally.cache.maxBytes", 10, 1, 1000)).isEqualTo(10);
    }

    @Test
    void defaultsMakeAValidConfiguration() {
        TallyConfig config = TallyConfig.from(new Settings(name -> null, name -> null, Map.of()));

        assertThat(config.store()).isEqualTo("memory");
        assertThat(config.cacheMaxValueBytes()).isEqualTo(65_536);
        assertThat(config.cacheDefaultTtl()).isEqualTo(300);
        assertThat(config.sessionMaxKeys()).isEqualTo(100);
        assertThat(config.sessionMaxValueBytes()).isEqualTo(16_384);
        assertThat(config.jsonMaxDepth()).isEqualTo(64);
    }

    @Test
    void theMemoryBudgetIsAQuarterOfTheHeapAndTheMemoryCacheAtMostAQuarterOfThat() {
        Settings none = new Settings(name -> null, name -> null, Map.of());
        TallyConfig small = TallyConfig.from(none, 256L << 20);
        assertThat(small.memoryBudget()).isEqualTo(64L << 20);
        assertThat(small.cacheMaxBytes()).isEqualTo(16L << 20);
        TallyConfig large = TallyConfig.from(none, 8L << 30);
        assertThat(large.memoryBudget()).isEqualTo(2L << 30);
        assertThat(large.cacheMaxBytes()).isEqualTo(64L << 20);
        assertThat(TallyConfig.from(none, 1L << 20).memoryBudget()).isEqualTo(TallyConfig.MIN_BUDGET);

        Settings greedyCache = new Settings(Map.of("tally.memory.budget", "10000000",
                "tally.cache.maxBytes", "6000000")::get, name -> null, Map.of());
        assertThatThrownBy(() -> TallyConfig.from(greedyCache, 1L << 30)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("tally.cache.maxBytes").hasMessageContaining("tally.memory.budget");
        Settings greedyOnRedis = new Settings(Map.of("tally.memory.budget", "10000000", "tally.store",
                "redis://127.0.0.1:6379", "tally.cache.maxBytes", "6000000")::get, name -> null, Map.of());
        assertThat(TallyConfig.from(greedyOnRedis, 1L << 30).cacheMaxBytes()).isEqualTo(6_000_000);
    }

    @Test
    void unusableValuesAreRefusedNamingTheSetting() {
        for (String bad : new String[] {"abc", "0", "-5", "1.5", "99999999999999999999"}) {
            Settings settings = new Settings(Map.of("tally.cache.maxEntries", bad)::get, name -> null, Map.of());
            assertThatThrownBy(() -> TallyConfig.from(settings)).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("tally.cache.maxEntries").hasMessageContaining(bad);
        }
        Settings inconsistent = new Settings(Map.of("tally.cache.maxBytes", "2048",
                "tally.cache.maxValueBytes", "4096")::get, name -> null, Map.of());
        assertThatThrownBy(() -> TallyConfig.from(inconsistent)).hasMessageContaining("tally.cache.maxValueBytes");
    }

    @Test
    void replicasAndTlsAreRefusedForAStoreTheyCannotApplyTo() {
        Settings replicasOnPostgres = new Settings(Map.of("tally.store", "jdbc:postgresql://db/test",
                "tally.store.replicas", "1")::get, name -> null, Map.of());
        assertThatThrownBy(() -> TallyConfig.from(replicasOnPostgres)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("tally.store.replicas");
        Settings tlsWithoutTls = new Settings(Map.of("tally.store", "redis://127.0.0.1:6379",
                "tally.store.tls.trustStore", "/etc/ssl/tally.p12")::get, name -> null, Map.of());
        assertThatThrownBy(() -> TallyConfig.from(tlsWithoutTls)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("tally.store.tls");

        TallyConfig sentinel = TallyConfig.from(new Settings(Map.of("tally.store",
                "rediss-sentinel://h1:26379,h2:26379/tally", "tally.store.replicas", "2",
                "tally.store.tls.trustStore", "/etc/ssl/tally.p12")::get, name -> null, Map.of()));
        assertThat(sentinel.storeReplicas()).isEqualTo(2);
        assertThat(sentinel.storeTls().trustStore()).isEqualTo("/etc/ssl/tally.p12");
        assertThat(TallyConfig.from(new Settings(name -> null, name -> null, Map.of())).storeReplicas()).isZero();
    }
}
