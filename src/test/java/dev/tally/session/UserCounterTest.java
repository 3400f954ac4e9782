package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.CounterExhaustedException;
import dev.tally.store.MemoryBudget;
import dev.tally.support.Concurrently;
import dev.tally.support.FakeSession;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@link UserCounter} on a session in memory: one user's concurrent requests, the ends of the range. */
class UserCounterTest {

    private final UserCounter counter = new UserCounter();

    UserCounterTest() {
        counter.locks = new SessionLocks();
        counter.budget = new MemoryBudget(1L << 30);
    }

    @Test
    void oneUsersConcurrentIncrementsEachGetTheirOwnValue() throws Exception {
        FakeSession session = new FakeSession("one-user");
        int threads = 8;
        int each = 2_000;

        List<Long> values = Concurrently.run(threads, each, (thread, i) -> counter.add(session, 1));

        assertThat(values).hasSize(threads * each).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(counter.get(session)).isEqualTo(threads * each);
    }

    @Test
    void withoutASessionTheCounterIsZeroAndNothingIsCreated() {
        assertThat(counter.get(null)).isZero();
    }

    @Test
    void itMayGoNegativeAndResets() {
        FakeSession session = new FakeSession("negative");
        assertThat(counter.add(session, -1)).isEqualTo(-1);
        assertThat(counter.add(session, -1)).isEqualTo(-2);
        assertThat(counter.reset(session)).isZero();
        assertThat(counter.get(session)).isZero();
    }

    @Test
    void itStopsAtBothEndsAndSaysWhichEnd() {
        FakeSession low = new FakeSession("low");
        low.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(Long.MIN_VALUE));
        assertThatThrownBy(() -> counter.add(low, -1)).isInstanceOfSatisfying(CounterExhaustedException.class,
                refused -> assertThat(refused.detail()).contains("minimum").doesNotContain("maximum"));
        assertThat(counter.get(low)).isEqualTo(Long.MIN_VALUE);

        FakeSession high = new FakeSession("high");
        high.setAttribute(SessionCount.ATTRIBUTE, new SessionCount(Long.MAX_VALUE));
        assertThatThrownBy(() -> counter.add(high, 1)).isInstanceOfSatisfying(CounterExhaustedException.class,
                refused -> assertThat(refused.detail()).contains("maximum"));
        assertThat(counter.add(high, -1)).isEqualTo(Long.MAX_VALUE - 1);
    }
}
