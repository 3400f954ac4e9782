package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The memory cache's two bounds for any pair of settings, not only for round ones: whatever {@code maxEntries} and
 * {@code maxBytes} are, filling the cache past both never leaves more entries or more bytes than they allow.
 */
class MemoryCacheBoundsTest {

    @Property(tries = 200, seed = "20261123")
    void neitherBoundIsEverPassed(@ForAll @IntRange(min = 1, max = 3_000) int maxEntries,
            @ForAll @LongRange(min = 1024, max = 1 << 24) long maxBytes,
            @ForAll @IntRange(min = 1, max = 2_000) int valueChars) {
        MemoryCacheStore cache = new MemoryCacheStore(maxEntries, maxBytes);
        String value = "\"" + "v".repeat(valueChars) + "\"";
        int writes = maxEntries + 100;
        for (int i = 0; i < writes; i++) {
            cache.put("k" + i, value, Duration.ofMinutes(5));
        }
        CacheUsage usage = cache.usage().orElseThrow();
        assertThat(usage.entries()).isLessThanOrEqualTo(maxEntries);
        assertThat(usage.bytes()).isLessThanOrEqualTo(maxBytes);
        long oneEntry = MemoryCacheStore.ENTRY_OVERHEAD_BYTES + ("k" + writes).length() + value.length();
        if (oneEntry <= maxBytes) {
            assertThat(usage.entries()).as("an entry that fits is kept").isPositive();
        }
    }

    @Property(tries = 1, seed = "20261123")
    void theDefaultsHoldAtMostTenThousandEntries() {
        // 64 MiB / 10 000 is not a whole number: a weight rounded down would let 10 001 entries in.
        MemoryCacheStore cache = new MemoryCacheStore(10_000, 64L << 20);
        for (int i = 0; i < 20_000; i++) {
            cache.put("k" + i, "1", Duration.ofMinutes(5));
        }
        assertThat(cache.usage().orElseThrow().entries()).isBetween(9_000L, 10_000L);
    }
}
