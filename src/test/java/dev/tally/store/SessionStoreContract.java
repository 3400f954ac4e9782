package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.SessionStore.Outcome;
import dev.tally.support.Concurrently;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do: per-user changes that are exact under concurrency, compare-and-set writes,
 * the key and session caps, and no write that revives a session which is gone. A store is done when a subclass passes.
 */
public abstract class SessionStoreContract {

    protected static final long MINUTE = 60_000;
    /** A client that came back: a minute's timeout, extended at most once a second. */
    private static final SessionStore.Touch BACK = new SessionStore.Touch(MINUTE, 1000);
    private static final SessionStore.Touch SHORT = new SessionStore.Touch(3_000, 1_000);
    private static final SessionStore.Touch LONG = new SessionStore.Touch(10 * MINUTE, MINUTE);

    protected SessionStore store;
    /** A session id no other test, and no earlier run against a shared server, has used. */
    protected String id;

    /** The store under test; called before each test. */
    protected abstract SessionStore createStore() throws Exception;

    /**
     * Forgets every session of the store's index of live sessions, so the cap can be tested exactly; the store must
     * be one that no other test uses at the same time.
     */
    protected abstract void forgetAllSessions() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        id = fresh();
    }

    private static String fresh() {
        return ("s" + UUID.randomUUID() + UUID.randomUUID()).replace("-", "").substring(0, 43);
    }

    @Test
    void aNewSessionIsFoundEmptyAndGetsTheFullTimeoutWhenResumed() {
        assertThat(store.create(id, 5_000, Long.MAX_VALUE)).isEqualTo(Outcome.OK);

        SessionStore.Found found = store.resume(id, new SessionStore.Touch(30 * MINUTE, MINUTE)).orElseThrow();

        assertThat(found.counter()).isZero();
        assertThat(found.dataKeys()).isZero();
        assertThat(found.timeoutMillis()).isEqualTo(30 * MINUTE);
        assertThat(found.createdAt()).isPositive();
    }

    @Test
    void anUnknownSessionIsNotFoundAndNotCreatedByAnything() {
        assertThat(store.resume(id, BACK)).isEmpty();
        assertThat(store.add(id, 1, null)).isEmpty();
        assertThat(store.resetCounter(id, null)).isFalse();
        assertThat(store.put(id, "k", null, "1", "v", 10, null)).isEqualTo(Outcome.GONE);
        assertThat(store.remove(id, "k", null, null)).isEqualTo(Outcome.GONE);
        assertThat(store.get(id, "k")).isEmpty();

        assertThat(store.resume(id, BACK)).isEmpty();
    }

    @Test
    void aCreatedIdIsNeverCreatedAgain() {
        assertThat(store.create(id, MINUTE, Long.MAX_VALUE)).isEqualTo(Outcome.OK);
        assertThat(store.add(id, 5, null)).contains(5L);

        assertThat(store.create(id, MINUTE, Long.MAX_VALUE)).isEqualTo(Outcome.TAKEN);
        assertThat(store.resume(id, BACK).orElseThrow().counter()).isEqualTo(5);
    }

    @Test
    void fiftyThreadsAddingToOneSessionLoseNothingAndSeeEveryValueOnce() throws Exception {
        store.create(id, 10 * MINUTE, Long.MAX_VALUE);
        int threads = 50;
        int each = 200;

        List<Long> values = Concurrently.run(threads, each, (client, request) -> store.add(id, 1, null).orElseThrow());

        assertThat(values).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(new HashSet<>(values)).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(store.resume(id, LONG).orElseThrow().counter()).isEqualTo(threads * each);
    }

    @Test
    void fiftyThreadsAddingThroughCoalescingLoseNothingAndSeeEveryValueOnceInFewerRoundTrips() throws Exception {
        store.create(id, 10 * MINUTE, Long.MAX_VALUE);
        CoalescingSessionStore coalescing = new CoalescingSessionStore(store, 128);
        int threads = 50;
        int each = 200;

        List<Long> values = Concurrently.run(threads, each,
                (client, request) -> coalescing.add(id, 1, BACK).orElseThrow());

        assertThat(values).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(new HashSet<>(values)).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(store.resume(id, LONG).orElseThrow().counter()).isEqualTo(threads * each);
        assertThat(coalescing.changes()).isEqualTo(threads * each);
        System.out.printf("%s: %d session counter changes from %d threads took %d round trips%n",
                getClass().getSimpleName(), threads * each, threads, coalescing.roundTrips());
    }

    @Test
    void theCounterGoesDownAndResetsAndRefusesToLeaveTheRangeOfALong() {
        store.create(id, MINUTE, Long.MAX_VALUE);
        assertThat(store.add(id, -3, null)).contains(-3L);
        assertThat(store.resetCounter(id, null)).isTrue();
        assertThat(store.add(id, 1, null)).contains(1L);

        assertThat(store.add(id, Long.MAX_VALUE - 1, null)).contains(Long.MAX_VALUE);
        assertThatThrownBy(() -> store.add(id, 1, null)).isInstanceOf(CounterExhaustedException.class);
        assertThat(store.resume(id, BACK).orElseThrow().counter()).isEqualTo(Long.MAX_VALUE);

        store.resetCounter(id, null);
        assertThat(store.add(id, Long.MIN_VALUE, null)).contains(Long.MIN_VALUE);
        assertThatThrownBy(() -> store.add(id, -1, null)).isInstanceOf(CounterExhaustedException.class);
    }

    @Test
    void aWriteIsACompareAndSetOnTheVersionOfTheValue() {
        store.create(id, MINUTE, Long.MAX_VALUE);

        assertThat(store.put(id, "prefs", "", "{\"a\":1}", "v1", 10, null)).isEqualTo(Outcome.OK);
        assertThat(store.put(id, "prefs", "", "{\"a\":2}", "v2", 10, null)).as("must be absent")
                .isEqualTo(Outcome.CONFLICT);
        assertThat(store.put(id, "prefs", "v0", "{\"a\":2}", "v2", 10, null)).as("stale").isEqualTo(Outcome.CONFLICT);
        assertThat(store.get(id, "prefs")).contains(new SessionStore.Versioned("{\"a\":1}", "v1"));

        assertThat(store.put(id, "prefs", "v1", "{\"a\":2}", "v2", 10, null)).isEqualTo(Outcome.OK);
        assertThat(store.put(id, "prefs", null, "{\"a\":3}", "v3", 10, null)).as("any").isEqualTo(Outcome.OK);
        assertThat(store.remove(id, "prefs", "v2", null)).isEqualTo(Outcome.CONFLICT);
        assertThat(store.remove(id, "prefs", "v3", null)).isEqualTo(Outcome.OK);
        assertThat(store.get(id, "prefs")).isEmpty();
        assertThat(store.remove(id, "prefs", "", null)).isEqualTo(Outcome.OK);
        assertThat(store.resume(id, BACK).orElseThrow().dataKeys()).isZero();
    }

    @Test
    void fiftyThreadsAddingKeysStoreExactlyMaxKeys() throws Exception {
        store.create(id, MINUTE, Long.MAX_VALUE);

        List<Outcome> outcomes = Concurrently.run(50, 1, (client, request) ->
                store.put(id, "key-" + client, null, "[]", "v", 10, null));

        assertThat(outcomes.stream().filter(o -> o == Outcome.OK)).hasSize(10);
        assertThat(outcomes.stream().filter(o -> o == Outcome.TOO_MANY_KEYS)).hasSize(40);
        assertThat(store.resume(id, BACK).orElseThrow().dataKeys()).isEqualTo(10);
        String kept = outcomes.indexOf(Outcome.OK) >= 0 ? keptKey(outcomes) : null;
        assertThat(store.put(id, kept, null, "[1]", "w", 10, null)).as("replacing a key at the cap")
                .isEqualTo(Outcome.OK);
    }

    private static String keptKey(List<Outcome> outcomes) {
        return "key-" + outcomes.indexOf(Outcome.OK);
    }

    @Test
    void noWriteRevivesADeletedSession() {
        store.create(id, MINUTE, Long.MAX_VALUE);
        store.add(id, 7, null);
        store.put(id, "k", null, "1", "v", 10, null);

        store.delete(id);

        assertThat(store.add(id, 1, null)).isEmpty();
        assertThat(store.put(id, "k", null, "2", "w", 10, null)).isEqualTo(Outcome.GONE);
        assertThat(store.resetCounter(id, null)).isFalse();
        assertThat(store.resume(id, BACK)).isEmpty();
        assertThat(store.get(id, "k")).isEmpty();
    }

    @Test
    void aSessionNotResumedInTimeExpiresAndStaysGone() throws Exception {
        store.create(id, 300, Long.MAX_VALUE);
        Thread.sleep(1_000);

        assertThat(store.resume(id, BACK)).isEmpty();
        assertThat(store.add(id, 1, null)).isEmpty();
        assertThat(store.resume(id, BACK)).isEmpty();
    }

    @Test
    void resumingExtendsTheTimeoutOnlyOncePerTouchInterval() throws Exception {
        store.create(id, 2_000, Long.MAX_VALUE);
        assertThat(store.resume(id, SHORT).orElseThrow().timeoutMillis()).as("promoted").isEqualTo(3_000);
        Thread.sleep(300);
        long left = store.resume(id, SHORT).orElseThrow().timeoutMillis();
        assertThat(left).as("not touched within the interval").isLessThan(3_000).isGreaterThan(1_000);
        Thread.sleep(1_800);
        assertThat(store.resume(id, SHORT).orElseThrow().timeoutMillis()).as("touched once due")
                .isEqualTo(3_000);
    }

    @Test
    void aWriteOfAReturningClientExtendsItsSessionInTheSameStepAndOneWithoutTouchDoesNot() {
        store.create(id, 5_000, Long.MAX_VALUE);
        assertThat(store.add(id, 1, null)).contains(1L);
        assertThat(store.resume(id, null).orElseThrow().timeoutMillis()).as("created by this request: as it was")
                .isLessThanOrEqualTo(5_000);

        assertThat(store.add(id, 1, LONG)).contains(2L);
        assertThat(store.resume(id, null).orElseThrow().timeoutMillis()).as("promoted by the write")
                .isGreaterThan(9 * MINUTE);

        String other = fresh();
        store.create(other, 5_000, Long.MAX_VALUE);
        assertThat(store.put(other, "k", null, "1", "v", 10, LONG)).isEqualTo(Outcome.OK);
        assertThat(store.resume(other, null).orElseThrow().timeoutMillis()).isGreaterThan(9 * MINUTE);
        assertThat(store.add(fresh(), 1, LONG)).as("a session never created").isEmpty();
    }

    @Test
    void thirtyThreadsCreatingSessionsGetExactlyTheCap() throws Exception {
        forgetAllSessions();

        List<Outcome> outcomes = Concurrently.run(30, 10, (client, request) -> store.create(fresh(), MINUTE, 100));

        assertThat(outcomes.stream().filter(o -> o == Outcome.OK)).hasSize(100);
        assertThat(outcomes.stream().filter(o -> o == Outcome.FULL)).hasSize(200);
        assertThat(store.live()).isEqualTo(100);
    }

    @Test
    void aSessionThatExpiredFreesItsPlaceUnderTheCap() throws Exception {
        forgetAllSessions();
        assertThat(store.create(fresh(), 300, 1)).isEqualTo(Outcome.OK);
        assertThat(store.create(fresh(), MINUTE, 1)).isEqualTo(Outcome.FULL);
        Thread.sleep(1_000);

        assertThat(store.create(id, MINUTE, 1)).isEqualTo(Outcome.OK);
        store.delete(id);
        assertThat(store.live()).isZero();
    }
}
