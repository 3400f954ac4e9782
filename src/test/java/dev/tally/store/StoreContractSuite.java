package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Both store contracts on one store, opened once for the class: a subclass says how to open it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractSuite {

    private StoreBackend backend;
    /** Servers the subclass started for the store, stopped after it is closed. */
    private final List<AutoCloseable> servers = new ArrayList<>();

    /** Opens the store under test (skipping the class, through an assumption, when its server is absent). */
    abstract StoreBackend open() throws Exception;

    /** Stops {@code server} once the store is closed, after the class's last test; returns it. */
    <S extends AutoCloseable> S stoppedAfterAll(S server) {
        if (server != null) {
            servers.add(server);
        }
        return server;
    }

    /** The store under test, once opened. */
    StoreBackend backend() {
        return backend;
    }

    @BeforeAll
    void openStore() throws Exception {
        backend = open();
    }

    @AfterAll
    void closeStore() throws Exception {
        if (backend != null) {
            backend.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Nested
    class Counters extends CounterStoreContract {
        @Override
        protected CounterStore createStore() {
            return backend.counters();
        }
    }

    /** The counter contract through the coalescing of increments that arrive together, as Tally runs it. */
    @Nested
    class CoalescedCounters extends CounterStoreContract {
        @Override
        protected CounterStore createStore() {
            return new CoalescingCounterStore(backend.counters(), 128);
        }
    }

    /**
     * The limit on distinct counters (tally.store.maxCounters), counted in the store for every JVM. The store is
     * shared with earlier runs, so each test sets the limit a few places above what it already holds.
     */
    @Nested
    class CounterLimit {

        private final String prefix = "limit-" + UUID.randomUUID().toString().substring(0, 13) + "-";

        @AfterEach
        void liftTheLimit() {
            backend.limitCounters(StoreBackend.DEFAULT_MAX_COUNTERS);
        }

        @Test
        void aNewNamePastTheLimitIsRefusedWhileTheHeldOnesCountOnAndAResetKeepsItsPlace() {
            CounterStore counters = backend.counters();
            counters.increment(prefix + "a");
            long held = counters.count();
            backend.limitCounters((int) held + 2);
            counters = backend.counters();

            assertThat(counters.increment(prefix + "b")).isEqualTo(1);
            assertThat(counters.advanceTo(prefix + "c", 5)).isEqualTo(5);
            assertThat(counters.count()).isEqualTo(held + 2);
            CounterStore full = counters;
            assertThatThrownBy(() -> full.increment(prefix + "d")).isInstanceOf(CounterLimitException.class);
            assertThatThrownBy(() -> full.advanceTo(prefix + "d", 1)).isInstanceOf(CounterLimitException.class);
            assertThat(counters.get(prefix + "d")).as("a refused name is not created").isZero();
            assertThat(counters.increment(prefix + "a")).isEqualTo(2);
            assertThat(counters.increment(prefix + "c")).isEqualTo(6);

            counters.reset(prefix + "b");
            assertThat(counters.get(prefix + "b")).isZero();
            assertThat(counters.count()).as("a reset counter keeps its place").isEqualTo(held + 2);
            assertThatThrownBy(() -> full.increment(prefix + "d")).isInstanceOf(CounterLimitException.class);
            assertThat(counters.increment(prefix + "b")).isEqualTo(1);
        }

        @Test
        void sixteenThreadsRacingForTenPlacesTakeThemAllAndEveryAdmittedCounterCountsOnce() throws Exception {
            int threads = 16;
            int namesEach = 4;
            int places = 10;
            long held = backend.counters().count();
            backend.limitCounters((int) held + places);
            CounterStore counters = backend.counters();
            Set<String> admitted = ConcurrentHashMap.newKeySet();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> refusals = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    refusals.add(pool.submit(() -> {
                        start.await();
                        int refused = 0;
                        for (int n = 0; n < namesEach; n++) {
                            String name = prefix + thread + "-" + n;
                            try {
                                assertThat(counters.increment(name)).isEqualTo(1);
                                admitted.add(name);
                            } catch (CounterLimitException e) {
                                refused++;
                            }
                        }
                        return refused;
                    }));
                }
                start.countDown();
                int refused = 0;
                for (Future<Integer> result : refusals) {
                    refused += result.get(60, TimeUnit.SECONDS);
                }
                long after = counters.count();
                System.out.printf("%s counter limit: %d threads x %d new names for %d places: %d admitted, %d "
                        + "refused%n", getClass().getEnclosingClass().getSimpleName(), threads, namesEach, places,
                        admitted.size(), refused);
                assertThat(admitted.size() + refused).isEqualTo(threads * namesEach);
                assertThat(admitted).as("every place is taken").hasSizeGreaterThanOrEqualTo(places);
                assertThat(admitted.size()).as("at most one place too many per racing thread (PostgreSQL)")
                        .isLessThanOrEqualTo(places + threads - 1);
                assertThat(after).as("the store holds exactly the admitted names more").isEqualTo(held
                        + admitted.size());
                for (String name : admitted) {
                    assertThat(counters.get(name)).as(name).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Cache extends CacheStoreContract {
        @Override
        protected CacheStore createStore() {
            return backend.cache();
        }

        @Override
        protected void elapse(Duration time) throws InterruptedException {
            Thread.sleep(time.toMillis());
        }
    }
}
