package dev.tally.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.MemoryBudget;
import dev.tally.store.MemoryCounterStore;
import dev.tally.support.Concurrently;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@link Counters} over the memory store, without a container: the rules of names and values, and uniqueness. */
class CountersTest {

    private final List<String> used = Collections.synchronizedList(new ArrayList<>());
    private final Counters counters = new Counters(new MemoryCounterStore(10_000, new MemoryBudget(1L << 30)),
            new Recorded());

    @Test
    void everyIncrementFromManyThreadsGetsItsOwnNumber() throws Exception {
        int threads = 8;
        int each = 5_000;
        List<Long> values = Concurrently.run(threads, each, (thread, i) -> counters.increment("shared"));

        assertThat(values).hasSize(threads * each).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(counters.get("shared")).isEqualTo(threads * each);
        assertThat(used).as("one CounterUsed event for the name, not one per increment").containsExactly("shared");
    }

    @Test
    void theFirstThousandNamesAreAnnouncedOnceEachAndNoMore() {
        for (int i = 0; i < CounterUsed.MAX_NAMES + 50; i++) {
            counters.increment("n" + i);
            counters.increment("n" + i);
        }
        assertThat(used).hasSize(CounterUsed.MAX_NAMES).doesNotHaveDuplicates();
    }

    @Test
    void namesOutsideTheRuleAreRefused() {
        for (String name : new String[] {null, "", "a b", "x".repeat(65), "caf\u00e9", "a/b", "../x"}) {
            assertThatThrownBy(() -> counters.increment(name)).as(String.valueOf(name))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            refused -> assertThat(refused.problem()).isEqualTo(Problem.INVALID_NAME));
        }
        assertThat(counters.increment("A-z_0.9")).isEqualTo(1);
        assertThat(counters.increment("x".repeat(64))).isEqualTo(1);
        assertThat(used).containsExactly("A-z_0.9", "x".repeat(64));
    }

    @Test
    void advanceToRaisesNeverLowersAndRefusesNegatives() {
        assertThat(counters.advanceTo("raised", 10)).isEqualTo(10);
        assertThat(counters.advanceTo("raised", 3)).isEqualTo(10);
        assertThat(counters.increment("raised")).isEqualTo(11);
        assertThatThrownBy(() -> counters.advanceTo("raised", -1)).isInstanceOfSatisfying(InvalidInputException.class,
                refused -> assertThat(refused.problem()).isEqualTo(Problem.INVALID_VALUE));
        counters.reset("raised");
        assertThat(counters.get("raised")).isZero();
    }

    @Test
    void aCounterAtItsMaximumRefusesToWrap() {
        counters.advanceTo("full", Long.MAX_VALUE);
        assertThatThrownBy(() -> counters.increment("full")).isInstanceOfSatisfying(CounterExhaustedException.class,
                refused -> assertThat(refused.detail()).contains("maximum"));
        assertThat(counters.get("full")).isEqualTo(Long.MAX_VALUE);
    }

    /** The CDI event, recorded. */
    private final class Recorded implements Event<CounterUsed> {
        @Override
        public void fire(CounterUsed event) {
            used.add(event.name());
        }

        @Override
        public <U extends CounterUsed> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends CounterUsed> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<CounterUsed> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends CounterUsed> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends CounterUsed> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
