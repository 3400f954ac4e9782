package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreStatsTest {

    private final StoreStats stats = new StoreStats();

    @Test
    void countsEveryOperationAndOnlyStoreOutagesAsFailures() {
        MemoryBackend memory = new MemoryBackend(2, 100, 1 << 20, new MemoryBudget(8 << 20));
        CounterStore counters = stats.counters(memory.counters());
        CacheStore cache = stats.cache(memory.cache());

        assertThat(counters.increment("a")).isEqualTo(1);
        assertThat(counters.increment("a")).isEqualTo(2);
        cache.put("k", "1", Duration.ofMinutes(1));
        assertThat(cache.get("k")).contains("1");
        counters.increment("b");
        // A refusal of the store's own (here: too many counters) is an operation, not an outage.
        assertThatThrownBy(() -> counters.increment("c")).isInstanceOf(CounterLimitException.class);

        assertThat(stats.operations()).isEqualTo(6);
        assertThat(stats.failures()).isZero();
    }

    @Test
    void anUnansweredOperationIsAFailureAndStillReachesTheCaller() {
        CounterStore down = stats.counters(new MemoryCounterStore(10, new MemoryBudget(1 << 20)) {
            @Override
            public long increment(String name) {
                throw new StoreUnavailableException("down", null);
            }
        });

        assertThatThrownBy(() -> down.increment("a")).isInstanceOf(StoreUnavailableException.class);
        assertThat(stats.operations()).isEqualTo(1);
        assertThat(stats.failures()).isEqualTo(1);
    }
}
