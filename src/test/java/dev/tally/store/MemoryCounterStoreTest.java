package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryCounterStoreTest extends CounterStoreContract {

    @Override
    protected CounterStore createStore() {
        return new MemoryCounterStore(1_000);
    }

    @Test
    void holdsAtMostItsLimitOfCounters() {
        MemoryCounterStore small = new MemoryCounterStore(3);
        small.increment("a");
        small.increment("b");
        small.advanceTo("c", 5);

        assertThatThrownBy(() -> small.increment("d")).isInstanceOf(CounterLimitException.class);
        assertThatThrownBy(() -> small.advanceTo("d", 1)).isInstanceOf(CounterLimitException.class);
        assertThat(small.increment("a")).isEqualTo(2);
        assertThat(small.get("d")).isZero();
    }
}
