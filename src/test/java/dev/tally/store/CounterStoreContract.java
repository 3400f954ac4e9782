package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CounterStore} must do. A store is done when a subclass of this passes.
 */
public abstract class CounterStoreContract {

    protected CounterStore store;
    /** A counter name no other test, and no earlier run against a shared server, has used. */
    protected String name;

    /** The store under test; called before each test. */
    protected abstract CounterStore createStore() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        name = "c-" + UUID.randomUUID().toString().substring(0, 18);
    }

    @Test
    void missingCounterReadsZeroAndIsNotCreatedByReading() {
        assertThat(store.get(name)).isZero();
        assertThat(store.get(name)).isZero();
        assertThat(store.increment(name)).isEqualTo(1);
    }

    @Test
    void incrementReturnsEachNewValueInTurn() {
        for (long expected = 1; expected <= 100; expected++) {
            assertThat(store.increment(name)).isEqualTo(expected);
        }
        assertThat(store.get(name)).isEqualTo(100);
    }

    @Test
    void countersAreIndependent() {
        store.increment(name + "-a");
        store.increment(name + "-a");
        assertThat(store.increment(name + "-b")).isEqualTo(1);
        assertThat(store.get(name + "-a")).isEqualTo(2);
    }

    @Test
    void counterAtMaximumRefusesAndNeverWraps() {
        assertThat(store.advanceTo(name, Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(store.increment(name)).isEqualTo(Long.MAX_VALUE);

        assertThatThrownBy(() -> store.increment(name)).isInstanceOf(CounterExhaustedException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(() -> store.increment(name)).isInstanceOf(CounterExhaustedException.class);
        assertThat(store.get(name)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void addTakesARangeOfValuesInOneStep() {
        assertThat(store.add(name, 5)).as("a new counter").isEqualTo(5);
        assertThat(store.increment(name)).isEqualTo(6);
        assertThat(store.add(name, 100)).isEqualTo(106);
        assertThat(store.get(name)).isEqualTo(106);
    }

    @Test
    void addPastTheMaximumAddsNothing() {
        store.advanceTo(name, Long.MAX_VALUE - 3);

        assertThatThrownBy(() -> store.add(name, 4)).isInstanceOf(CounterExhaustedException.class);
        assertThat(store.get(name)).isEqualTo(Long.MAX_VALUE - 3);
        assertThat(store.add(name, 3)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void advanceRaisesButNeverLowers() {
        store.increment(name);
        store.increment(name);
        assertThat(store.advanceTo(name, 1)).isEqualTo(2);
        assertThat(store.advanceTo(name, 50)).isEqualTo(50);
        assertThat(store.increment(name)).isEqualTo(51);
        assertThat(store.advanceTo(name + "-new", 7)).isEqualTo(7);
    }

    @Test
    void resetStartsAgainFromOne() {
        store.increment(name);
        store.increment(name);
        store.reset(name);
        assertThat(store.get(name)).isZero();
        assertThat(store.increment(name)).isEqualTo(1);
        store.reset(name + "-never-used");
        assertThat(store.get(name + "-never-used")).isZero();
    }

    @Test
    void eightThreadsTimesTenThousandIncrementsGiveExactlyEightyThousandDistinctValues() throws Exception {
        int threads = 8;
        int each = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    long[] values = new long[each];
                    for (int i = 0; i < each; i++) {
                        values[i] = store.increment(name);
                    }
                    return values;
                }));
            }
            start.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<long[]> future : futures) {
                for (long value : future.get(5, TimeUnit.MINUTES)) {
                    assertThat(seen.add(value)).as("value %d handed out twice", value).isTrue();
                }
            }
            assertThat(seen).hasSize(threads * each);
            assertThat(seen.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(1);
            assertThat(seen.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(threads * each);
            assertThat(store.get(name)).isEqualTo(threads * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsRacingPastTheMaximumGetTheLastHundredValuesOnceAndNeverWrap() throws Exception {
        store.advanceTo(name, Long.MAX_VALUE - 100);
        int threads = 8;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> values = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        try {
                            values.add(store.increment(name));
                        } catch (CounterExhaustedException exhausted) {
                            values.add(null);
                        }
                    }
                    return values;
                }));
            }
            start.countDown();
            Set<Long> seen = new HashSet<>();
            int refused = 0;
            for (Future<List<Long>> future : futures) {
                for (Long value : future.get(5, TimeUnit.MINUTES)) {
                    if (value == null) {
                        refused++;
                    } else {
                        assertThat(value).as("a value past the end").isGreaterThan(Long.MAX_VALUE - 101);
                        assertThat(seen.add(value)).as("value %d handed out twice", value).isTrue();
                    }
                }
            }
            // 400 attempts: the 100 values left, each once, and 300 refusals.
            assertThat(seen).hasSize(100);
            assertThat(refused).isEqualTo(threads * each - 100);
            assertThat(store.get(name)).isEqualTo(Long.MAX_VALUE);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesAreDataNotCommands() {
        String odd = name + "'; DROP TABLE x;--";
        assertThat(store.increment(odd)).isEqualTo(1);
        assertThat(store.get(odd)).isEqualTo(1);
        assertThat(store.get(name)).isZero();
    }

    @Test
    void storeHasAKindAndAnswers() {
        assertThat(store.kind()).isNotBlank();
        store.ping();
    }
}
