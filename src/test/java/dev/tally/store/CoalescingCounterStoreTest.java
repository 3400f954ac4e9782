package dev.tally.store;

import static dev.tally.support.Concurrently.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coalescing as a contract (the whole counter contract through it, on the memory store) and step by step: the first
 * round trip is held open by a store that waits for the test, increments arrive one by one behind it, and the test
 * then sees which round trips went to the store and which value each request got.
 */
class CoalescingCounterStoreTest extends CounterStoreContract {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final HeldStore held = new HeldStore();

    @Override
    protected CounterStore createStore() {
        return new CoalescingCounterStore(new MemoryCounterStore(1_000, new MemoryBudget(1 << 30)), 16);
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void incrementsArrivingDuringARoundTripGoTogetherAsOneAndGetTheirValuesInArrivalOrder() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 64);
        Future<Long> first = holdFirst(coalescing, "c");
        List<Future<Long>> behind = arriveOneByOne(coalescing, 10, 2);

        held.open.countDown();

        assertValuesInArrivalOrder(first, behind);
        assertThat(held.calls).containsExactly(1, 10);
        assertThat(coalescing.roundTrips()).isEqualTo(2);
        assertThat(coalescing.increments()).isEqualTo(11);
        assertThat(coalescing.increment("c")).as("alone again: at once, a round trip of its own").isEqualTo(12);
    }

    @Test
    void aBatchCarriesAtMostMaxBatchIncrementsAndTheRestFollowInOrder() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 4);
        Future<Long> first = holdFirst(coalescing, "c");
        List<Future<Long>> behind = arriveOneByOne(coalescing, 10, 2);

        held.open.countDown();

        assertValuesInArrivalOrder(first, behind);
        assertThat(held.calls).containsExactly(1, 4, 4, 2);
    }

    @Test
    void aFailedRoundTripFailsEveryRequestInItAndTheCounterGoesOnAfter() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 64);
        held.failBatches = true;
        Future<Long> first = holdFirst(coalescing, "c");
        List<Future<Long>> behind = arriveOneByOne(coalescing, 5, 2);

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (Future<Long> request : behind) {
            assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    StoreUnavailableException.class);
        }
        held.failBatches = false;
        assertThat(coalescing.increment("c")).as("the failed batch's 5 are a gap, never a repeat").isEqualTo(7);
    }

    @Test
    void batchesWaitingBehindARoundTripTheStoreDidNotAnswerFailWithItUnsent() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 4);
        held.failFirst = true;
        Future<Long> first = holdFirst(coalescing, "c");
        List<Future<Long>> behind = arriveOneByOne(coalescing, 10, 2);

        held.open.countDown();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                StoreUnavailableException.class);
        for (Future<Long> request : behind) {
            assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    StoreUnavailableException.class);
        }
        assertThat(held.calls).as("one round trip: the three batches behind it were never sent").containsExactly(1);
        assertThat(coalescing.increment("c")).as("the next increment goes at once").isEqualTo(2);
    }

    @Test
    void aBatchThatWouldPassTheEndGoesOneByOneSoTheLastValuesAreEachHandedOutOnce() throws Exception {
        held.advanceTo("c", Long.MAX_VALUE - 4);
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 64);
        Future<Long> first = holdFirst(coalescing, "c");
        List<Future<Long>> behind = arriveOneByOne(coalescing, 8, 2);

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Long.MAX_VALUE - 3);
        List<Long> values = new ArrayList<>();
        int exhausted = 0;
        for (Future<Long> request : behind) {
            try {
                values.add(request.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e).hasCauseInstanceOf(CounterExhaustedException.class);
                exhausted++;
            }
        }
        assertThat(values).containsExactly(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        assertThat(exhausted).isEqualTo(5);
    }

    @Test
    void countersAreCoalescedApartFromEachOther() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 64);
        Future<Long> first = holdFirst(coalescing, "a");

        assertThat(pool.submit(() -> coalescing.increment("b")).get(10, TimeUnit.SECONDS))
                .as("another counter does not wait for a's round trip").isEqualTo(1);
        held.open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void anInterruptedRequestStillGetsItsValueAndKeepsItsInterrupt() throws Exception {
        CoalescingCounterStore coalescing = new CoalescingCounterStore(held, 4);
        Future<Long> first = holdFirst(coalescing, "c");
        CountDownLatch joined = new CountDownLatch(1);
        Thread[] member = new Thread[1];
        Future<String> interrupted = pool.submit(() -> {
            member[0] = Thread.currentThread();
            joined.countDown();
            long value = coalescing.increment("c");
            return value + " interrupted=" + Thread.currentThread().isInterrupted();
        });
        joined.await();
        awaitTrue(() -> coalescing.increments() == 2);
        member[0].interrupt();
        Thread.sleep(50);
        assertThat(interrupted).as("an interrupt does not cut the wait for the round trip ahead").isNotDone();

        held.open.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isEqualTo("2 interrupted=true");
    }

    /** Starts an increment whose round trip the store holds until the test opens it. */
    private Future<Long> holdFirst(CoalescingCounterStore coalescing, String name) throws InterruptedException {
        Future<Long> first = pool.submit(() -> coalescing.increment(name));
        awaitTrue(() -> held.waiting == 1);
        return first;
    }

    private static void assertValuesInArrivalOrder(Future<Long> first, List<Future<Long>> behind) throws Exception {
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (int i = 0; i < behind.size(); i++) {
            assertThat(behind.get(i).get(10, TimeUnit.SECONDS)).as("arrival " + i).isEqualTo(2 + i);
        }
    }

    /** Starts {@code count} increments, each once the one before it has joined the queue. */
    private List<Future<Long>> arriveOneByOne(CoalescingCounterStore coalescing, int count, long already)
            throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long before = coalescing.increments();
            futures.add(pool.submit(() -> coalescing.increment("c")));
            awaitTrue(() -> coalescing.increments() == before + 1);
        }
        assertThat(coalescing.increments()).isEqualTo(count + already - 1);
        return futures;
    }

    /**
     * A memory store whose first round trip waits until the test opens it, and which records the size of every
     * round trip; with failBatches, a round trip of more than one increment fails as an unreachable store's would.
     */
    private static final class HeldStore extends MemoryCounterStore {
        final CountDownLatch open = new CountDownLatch(1);
        final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        volatile int waiting;
        volatile boolean failBatches;
        volatile boolean failFirst;

        HeldStore() {
            super(100, new MemoryBudget(1 << 20));
        }

        @Override
        public long add(String name, int count) {
            calls.add(count);
            if (calls.size() == 1) {
                waiting++;
                try {
                    open.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (failFirst) {
                    super.add(name, count);
                    throw new StoreUnavailableException("store: no answer within the timeout", null);
                }
            }
            if (failBatches && count > 1) {
                super.add(name, count);
                throw new StoreUnavailableException("store: the answer was lost", null);
            }
            return super.add(name, count);
        }
    }
}
