package dev.tally.store;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * Both store contracts on one store, opened once for the class: a subclass says how to open it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractSuite {

    private StoreBackend backend;

    /** Opens the store under test (skipping the class, through an assumption, when its server is absent). */
    abstract StoreBackend open() throws Exception;

    @BeforeAll
    void openStore() throws Exception {
        backend = open();
    }

    @AfterAll
    void closeStore() {
        if (backend != null) {
            backend.close();
        }
    }

    @Nested
    class Counters extends CounterStoreContract {
        @Override
        protected CounterStore createStore() {
            return backend.counters();
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
