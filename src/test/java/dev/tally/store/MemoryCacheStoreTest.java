package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryCacheStoreTest extends CacheStoreContract {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    @Override
    protected CacheStore createStore() {
        return new MemoryCacheStore(1_000, 1 << 20, ticker);
    }

    @Override
    protected void elapse(Duration time) {
        nanos.addAndGet(time.toNanos());
    }

    @Test
    void charactersBeyondLatin1WeighTwoBytesEach() {
        MemoryCacheStore cache = new MemoryCacheStore(10_000, 1 << 20, ticker);
        cache.put("ascii", "\"" + "a".repeat(1000) + "\"", Duration.ofMinutes(1));
        long ascii = cache.usage().orElseThrow().bytes();
        cache.delete("ascii");
        cache.put("ascii", "\"" + "\u4e2d".repeat(1000) + "\"", Duration.ofMinutes(1));
        assertThat(cache.usage().orElseThrow().bytes() - ascii).isEqualTo(1002);
    }

    @Test
    void expiresAtItsTtlToTheNanosecond() {
        store.put(key, "1", Duration.ofSeconds(10));
        elapse(Duration.ofSeconds(10).minusNanos(1));
        assertThat(store.get(key)).hasValue("1");
        elapse(Duration.ofNanos(1));
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void neverHoldsMoreEntriesThanItsBound() {
        MemoryCacheStore cache = new MemoryCacheStore(100, 1 << 20, ticker);
        for (int i = 0; i < 1_000; i++) {
            cache.put("k" + i, "1", Duration.ofMinutes(5));
            assertThat(cache.usage().orElseThrow().entries()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.usage().orElseThrow().entries()).isBetween(90L, 100L);
    }

    @Test
    void neverHoldsMoreBytesThanItsBound() {
        long maxBytes = 100_000;
        MemoryCacheStore cache = new MemoryCacheStore(10_000, maxBytes, ticker);
        String value = "\"" + "x".repeat(10_000) + "\"";
        for (int i = 0; i < 100; i++) {
            cache.put("big" + i, value, Duration.ofMinutes(5));
            assertThat(cache.usage().orElseThrow().bytes()).isLessThanOrEqualTo(maxBytes);
        }
        assertThat(cache.usage().orElseThrow().entries()).isBetween(5L, 9L);
    }

    @Test
    void aValueLargerThanTheWholeBoundIsNotKept() {
        MemoryCacheStore cache = new MemoryCacheStore(10, 4_096, ticker);
        cache.put("huge", "\"" + "x".repeat(5_000) + "\"", Duration.ofMinutes(5));
        assertThat(cache.get("huge")).isEmpty();
        assertThat(cache.usage().orElseThrow().bytes()).isZero();
    }
}
