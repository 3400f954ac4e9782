package dev.tally.store;

import static dev.tally.support.Concurrently.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user counter's changes coalesced, step by step: the first change's round trip is held open by a store that
 * waits for the test, changes arrive one by one behind it, and the test sees which round trips reached the store and
 * what each request got. The real stores run the same through the session store contracts and the multi-process
 * tests, where {@code tally.store.maxBatch} is on by default.
 */
class CoalescingSessionStoreTest {

    private static final SessionStore.Touch TOUCH = new SessionStore.Touch(60_000, 30_000);

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final HeldSessions held = new HeldSessions();
    private final CoalescingSessionStore coalescing = new CoalescingSessionStore(held, 64);

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void changesArrivingDuringARoundTripGoAsOneAdditionOfTheirSumAndEachGetsItsOwnValueInArrivalOrder()
            throws Exception {
        held.counters.put("s", 0L);
        Future<Optional<Long>> first = holdFirst("s", 1);
        long[] deltas = {1, 1, 1, -1, -1, 1, 1};
        List<Future<Optional<Long>>> behind = arriveOneByOne("s", TOUCH, deltas);

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).contains(1L);
        long expected = 1;
        for (int i = 0; i < deltas.length; i++) {
            expected += deltas[i];
            assertThat(behind.get(i).get(10, TimeUnit.SECONDS)).as("arrival " + i).contains(expected);
        }
        assertThat(held.calls).as("a batch holds changes of one sign").containsExactly("s+1", "s+3", "s-2", "s+2");
        assertThat(held.counters.get("s")).isEqualTo(4);
        assertThat(coalescing.roundTrips()).isEqualTo(4);
        assertThat(coalescing.changes()).isEqualTo(8);
    }

    @Test
    void aSessionFoundGoneAnswersEveryRequestOfTheBatchEmptyAndNothingIsApplied() throws Exception {
        held.counters.put("s", 0L);
        Future<Optional<Long>> first = holdFirst("s", 1);
        List<Future<Optional<Long>>> behind = arriveOneByOne("s", TOUCH, new long[] {1, 1, 1});
        held.counters.remove("s");

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
        for (Future<Optional<Long>> request : behind) {
            assertThat(request.get(10, TimeUnit.SECONDS)).as("each then starts a session of its own").isEmpty();
        }
        assertThat(held.calls).as("one round trip for the three behind").containsExactly("s+1", "s+3");
        assertThat(held.counters).doesNotContainKey("s");
    }

    @Test
    void sessionsAndTouchesAreCoalescedApartAndASessionOfThisRequestGoesStraight() throws Exception {
        held.counters.put("s", 0L);
        held.counters.put("t", 0L);
        Future<Optional<Long>> first = holdFirst("s", 1);

        assertThat(pool.submit(() -> coalescing.add("t", 1, TOUCH)).get(10, TimeUnit.SECONDS))
                .as("another session does not wait for s's round trip").contains(1L);
        assertThat(coalescing.add("s", 1, null)).as("no touch: made by this request, not coalesced").contains(1L);
        SessionStore.Touch other = new SessionStore.Touch(120_000, 30_000);
        assertThat(pool.submit(() -> coalescing.add("s", 1, other)).get(10, TimeUnit.SECONDS))
                .as("another extension is another batch").contains(2L);
        held.open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).as("applied once the store lets it").contains(3L);
    }

    @Test
    void aBatchThatWouldPassTheRangeOfALongGoesOneByOneSoTheChangesThatFitAreApplied() throws Exception {
        held.counters.put("s", Long.MAX_VALUE - 3);
        Future<Optional<Long>> first = holdFirst("s", 1);
        List<Future<Optional<Long>>> behind = arriveOneByOne("s", TOUCH, new long[] {1, 1, 1, 1, -1});

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).contains(Long.MAX_VALUE - 2);
        assertThat(behind.get(0).get(10, TimeUnit.SECONDS)).contains(Long.MAX_VALUE - 1);
        assertThat(behind.get(1).get(10, TimeUnit.SECONDS)).contains(Long.MAX_VALUE);
        for (int refused = 2; refused <= 3; refused++) {
            Future<Optional<Long>> request = behind.get(refused);
            assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(CounterExhaustedException.class);
        }
        assertThat(behind.get(4).get(10, TimeUnit.SECONDS)).as("a batch of its own, after").contains(
                Long.MAX_VALUE - 1);
        assertThat(held.calls).containsExactly("s+1", "s+4", "s+1", "s+1", "s+1", "s+1", "s-1");
    }

    @Test
    void anInterruptedRequestStillGetsItsValueAndKeepsItsInterrupt() throws Exception {
        held.counters.put("s", 0L);
        Future<Optional<Long>> first = holdFirst("s", 1);
        CountDownLatch joined = new CountDownLatch(1);
        Thread[] member = new Thread[1];
        Future<String> interrupted = pool.submit(() -> {
            member[0] = Thread.currentThread();
            joined.countDown();
            Optional<Long> value = coalescing.add("s", 1, TOUCH);
            return value + " interrupted=" + Thread.currentThread().isInterrupted();
        });
        joined.await();
        awaitTrue(() -> coalescing.changes() == 2);
        member[0].interrupt();
        Thread.sleep(50);
        assertThat(interrupted).as("an interrupt does not cut the wait for the round trip ahead").isNotDone();

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).contains(1L);
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isEqualTo("Optional[2] interrupted=true");
    }

    /** Starts a change whose round trip the store holds until the test opens it. */
    private Future<Optional<Long>> holdFirst(String id, long delta) throws InterruptedException {
        Future<Optional<Long>> first = pool.submit(() -> coalescing.add(id, delta, TOUCH));
        awaitTrue(() -> held.waiting == 1);
        return first;
    }

    /** Starts one change per delta, each once the one before it has joined the queue. */
    private List<Future<Optional<Long>>> arriveOneByOne(String id, SessionStore.Touch touch, long[] deltas)
            throws InterruptedException {
        List<Future<Optional<Long>>> futures = new ArrayList<>();
        for (long delta : deltas) {
            long before = coalescing.changes();
            futures.add(pool.submit(() -> coalescing.add(id, delta, touch)));
            awaitTrue(() -> coalescing.changes() == before + 1);
        }
        return futures;
    }

    /**
     * Session counters in a map, whose first {@code add} waits until the test opens it, recording every round trip
     * as "id+delta". Only {@code add} is needed here.
     */
    private static final class HeldSessions implements SessionStore {
        final CountDownLatch open = new CountDownLatch(1);
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> counters = new ConcurrentHashMap<>();
        volatile int waiting;

        @Override
        public Optional<Long> add(String id, long delta, Touch touch) {
            calls.add(id + (delta < 0 ? "" : "+") + delta);
            if (calls.size() == 1) {
                waiting++;
                try {
                    open.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (counters) {
                Long value = counters.get(id);
                if (value == null) {
                    return Optional.empty();
                }
                try {
                    counters.put(id, Math.addExact(value, delta));
                } catch (ArithmeticException e) {
                    throw new CounterExhaustedException("session", delta > 0);
                }
                return Optional.of(counters.get(id));
            }
        }

        @Override
        public Outcome create(String id, long timeoutMillis, long maxSessions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Found> resume(String id, Touch touch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean resetCounter(String id, Touch touch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Versioned> get(String id, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome put(String id, String key, String expected, String json, String version, int maxKeys,
                Touch touch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome remove(String id, String key, String expected, Touch touch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long live() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String kind() {
            return "held";
        }

        @Override
        public void ping() {
        }
    }
}
