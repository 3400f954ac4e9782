package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.MemoryBudget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The container's events keep the memory budget and the session figures exact: a value replaced by one of its kind
 * charges only what changed, and every value that leaves gives back all it was charged.
 */
class SessionStatsTest {

    private final MemoryBudget budget = new MemoryBudget(1_000_000);
    private final SessionStats stats = new SessionStats();

    @BeforeEach
    void wire() {
        stats.budget = budget;
    }

    @Test
    void aCounterReplacedByTheNextChargesNothingMore() {
        stats.added(new SessionCount(1));
        assertThat(budget.used()).isEqualTo(SessionCount.BYTES);
        for (int i = 1; i < 100; i++) {
            stats.replaced(new SessionCount(i), new SessionCount(i + 1));
        }
        assertThat(budget.used()).isEqualTo(SessionCount.BYTES);
        assertThat(stats.sessionsWithCounter()).isEqualTo(1);
        stats.removed(new SessionCount(100));
        assertThat(budget.used()).isZero();
        assertThat(stats.sessionsWithCounter()).isZero();
    }

    @Test
    void dataReplacedIsChargedByItsChangeInSizeAndKeys() {
        SessionData one = SessionData.EMPTY.with("theme", "\"dark\"");
        stats.added(one);
        assertThat(budget.used()).isEqualTo(one.bytes());

        SessionData two = one.with("langs", "[\"en\",\"fr\"]");
        stats.replaced(one, two);
        assertThat(budget.used()).isEqualTo(two.bytes()).isGreaterThan(one.bytes());
        assertThat(stats.dataKeys()).isEqualTo(2);

        SessionData longer = two.with("theme", "\"a much longer theme name\"");
        stats.replaced(two, longer);
        assertThat(budget.used()).isEqualTo(longer.bytes());
        assertThat(stats.dataKeys()).isEqualTo(2);

        SessionData fewer = longer.without("langs");
        stats.replaced(longer, fewer);
        assertThat(budget.used()).isEqualTo(fewer.bytes());
        assertThat(stats.dataKeys()).isEqualTo(1);
        assertThat(stats.sessionsWithData()).isEqualTo(1);

        stats.removed(fewer);
        assertThat(budget.used()).isZero();
        assertThat(stats.dataKeys()).isZero();
        assertThat(stats.sessionsWithData()).isZero();
    }

    @Test
    void aValueReplacedByAnotherKindOrByOneNotTallysIsReleasedAndCharged() {
        stats.added(new SessionCount(5));
        SessionData data = SessionData.EMPTY.with("k", "1");
        stats.replaced(new SessionCount(5), data);
        assertThat(budget.used()).isEqualTo(data.bytes());
        assertThat(stats.sessionsWithCounter()).isZero();
        assertThat(stats.sessionsWithData()).isEqualTo(1);

        stats.replaced(data, "not Tally's");
        assertThat(budget.used()).isZero();
        assertThat(stats.sessionsWithData()).isZero();
        assertThat(stats.dataKeys()).isZero();
    }
}
