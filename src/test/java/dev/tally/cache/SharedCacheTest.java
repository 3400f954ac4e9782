package dev.tally.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Settings;
import dev.tally.config.TallyConfig;
import dev.tally.ops.Metrics;
import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.store.MemoryCacheStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SharedCache} over the memory cache: keys and times to live as clients write them. */
class SharedCacheTest {

    private final SharedCache cache = new SharedCache();

    SharedCacheTest() {
        cache.store = new MemoryCacheStore(100, 1 << 20);
        cache.config = TallyConfig.from(new Settings(name -> null, name -> null, Map.of()));
        cache.metrics = Metrics.standalone();
        cache.register();
    }

    @Test
    void aValueIsKeptUnderItsKeyUntilDeleted() {
        cache.put("item:42", "{\"price\":19.90}", Duration.ofSeconds(60));
        assertThat(cache.get("item:42")).hasValue("{\"price\":19.90}");
        cache.delete("item:42");
        assertThat(cache.get("item:42")).isEmpty();
    }

    @Test
    void keysOutsideTheRuleAreRefused() {
        for (String key : new String[] {"", "a b", "k".repeat(201), "caf\u00e9", "a/b"}) {
            assertThatThrownBy(() -> cache.get(key)).as(key).isInstanceOfSatisfying(InvalidInputException.class,
                    refused -> assertThat(refused.problem()).isEqualTo(Problem.INVALID_KEY));
            assertThatThrownBy(() -> cache.put(key, "1", Duration.ofSeconds(1))).as(key)
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void aTtlIsWholeSecondsFromOneToThirtyDays() {
        assertThat(cache.ttl(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(cache.ttl("1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(cache.ttl("2592000")).isEqualTo(Duration.ofDays(30));
        for (String ttl : new String[] {"", "0", "-1", "+5", "1.5", "2592001", "99999999999999999999", "\uFF15",
                " 5"}) {
            assertThatThrownBy(() -> cache.ttl(ttl)).as("ttl '%s'", ttl).isInstanceOfSatisfying(
                    InvalidInputException.class,
                    refused -> assertThat(refused.problem()).isEqualTo(Problem.INVALID_TTL));
        }
    }
}
