package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryCounterStoreTest extends CounterStoreContract {

    @Override
    protected CounterStore createStore() {
        return new MemoryCounterStore(1_000, new MemoryBudget(1 << 30));
    }

    @Test
    void holdsAtMostItsLimitOfCounters() {
        MemoryCounterStore small = new MemoryCounterStore(3, new MemoryBudget(1 << 20));
        small.increment("a");
        small.increment("b");
        small.advanceTo("c", 5);

        assertThatThrownBy(() -> small.increment("d")).isInstanceOf(CounterLimitException.class);
        assertThatThrownBy(() -> small.advanceTo("d", 1)).isInstanceOf(CounterLimitException.class);
        assertThat(small.increment("a")).isEqualTo(2);
        assertThat(small.get("d")).isZero();
    }

    @Test
    void newCountersAreChargedToTheMemoryBudgetAndRefusedPastItWhileExistingOnesGoOn() {
        MemoryBudget budget = new MemoryBudget(3 * MemoryCounterStore.COUNTER_BYTES + 10);
        MemoryCounterStore store = new MemoryCounterStore(1_000, budget);
        store.increment("a");
        store.increment("b");
        store.increment("c");

        assertThat(budget.used()).isEqualTo(3 * MemoryCounterStore.COUNTER_BYTES);
        assertThatThrownBy(() -> store.increment("d")).isInstanceOf(MemoryFullException.class);
        assertThatThrownBy(() -> store.advanceTo("d", 1)).isInstanceOf(MemoryFullException.class);
        assertThat(budget.used()).as("a refused counter is not charged")
                .isEqualTo(3 * MemoryCounterStore.COUNTER_BYTES);
        assertThat(store.increment("a")).isEqualTo(2);
        assertThat(store.get("d")).isZero();
    }
}
