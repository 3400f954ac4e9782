package dev.tally.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit (flat combining) of additions to one number in a store: the first addition to a key goes at once; the
 * additions to that key that arrive while its round trip is in flight wait, then go together as one round trip, and
 * each request gets the value its own addition gave, as if they had gone one by one in the order they arrived. A
 * request never waits for a batch to fill, and a batch holds at most {@code maxBatch} additions of one sign (those past
 * it, or of the other sign, form the next batch). One round trip per key is in flight from this JVM at a time.
 *
 * <p>When a round trip fails, every request of its batch fails with it: the additions may or may not have been
 * applied, which leaves a gap, never a repeat, as for a single addition. The batches waiting behind a round trip that
 * found the store unreachable fail with it, unsent, so that a request waits for one store timeout at most, as it
 * would alone.
 *
 * <p>A waiting request parks its own thread, and the thread that made the round trip unparks it once its value is
 * there; nothing else is locked on the way, so a batch of k requests costs k wake-ups and no lock convoy.
 *
 * @param <K> what names the number (a counter's name; a session and how it is extended)
 */
final class Coalescer<K> {

    /** One round trip for a whole batch. */
    @FunctionalInterface
    interface RoundTrip<K> {
        /**
         * Applies {@code deltas} (in arrival order) to the number {@code key} names as one atomic store operation, and
         * sets each member's outcome in {@code outcomes}; what it throws fails every member.
         */
        void apply(K key, long[] deltas, Outcomes outcomes);
    }

    /** What each member of a batch gets: a value, or a failure of its own. */
    static final class Outcomes {
        private final long[] values;
        private final RuntimeException[] failures;

        Outcomes(int size) {
            values = new long[size];
            failures = new RuntimeException[size];
        }

        void value(int member, long value) {
            values[member] = value;
        }

        void fail(int member, RuntimeException failure) {
            failures[member] = failure;
        }

        /** Sets the values of members that went together as one addition of their sum, which ended at {@code last}. */
        void inOrder(long[] deltas, long last) {
            long value = last - Arrays.stream(deltas).sum();
            for (int i = 0; i < deltas.length; i++) {
                value += deltas[i];
                values[i] = value;
            }
        }
    }

    private final RoundTrip<K> roundTrip;
    private final int maxBatch;
    /** The keys with a round trip in flight; a lane leaves the map when its last batch is done. */
    private final ConcurrentHashMap<K, Lane> lanes = new ConcurrentHashMap<>();
    /** One record per round trip, of the additions it carried: its count is the round trips made. */
    private final DistributionSummary batches;
    private final LongAdder submitted = new LongAdder();

    /**
     * @param roundTrip applies a batch
     * @param maxBatch  the most additions one round trip carries, at least 2
     * @param batches   records the size of each batch sent
     */
    Coalescer(RoundTrip<K> roundTrip, int maxBatch, DistributionSummary batches) {
        if (maxBatch < 2) {
            throw new IllegalArgumentException("a batch must be able to hold two additions");
        }
        this.roundTrip = roundTrip;
        this.maxBatch = maxBatch;
        this.batches = batches;
    }

    /**
     * The summary of batch sizes a coalescing store records into: {@code tally.store.batch.size} in {@code registry},
     * with the tag {@code kind} (counter, session counter).
     */
    static DistributionSummary batchSizes(MeterRegistry registry, String kind) {
        return DistributionSummary.builder("tally.store.batch.size")
                .description("Additions of one number carried by one store round trip (coalesced increments)")
                .tag("kind", kind)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)
                .register(registry);
    }

    /** Adds {@code delta} to the number {@code key} names, together with whatever else arrives meanwhile. */
    long submit(K key, long delta) {
        Joined joined = join(key, delta);
        if (joined.index == 0 && joined.batch.awaitTurn()) {
            send(key, joined.lane, joined.batch);
        }
        return joined.batch.outcome(joined.index);
    }

    /** Where a request joined. */
    private record Joined(Lane lane, Batch batch, int index) {
    }

    /** Joins the batch that {@code delta} goes with: a new one sent at once if no round trip for the key is on. */
    private Joined join(K key, long delta) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
            Batch batch;
            int index;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                if (!lane.busy) {
                    lane.busy = true;
                    batch = new Batch();
                    batch.go = true;
                } else {
                    batch = lane.waiting.peekLast();
                    if (batch == null || batch.size == maxBatch || !batch.accepts(delta)) {
                        batch = new Batch();
                        lane.waiting.addLast(batch);
                    }
                }
                index = batch.join(delta);
            }
            submitted.increment();
            return new Joined(lane, batch, index);
        }
    }

    /**
     * Sends a batch whose turn it is, lets the next batch go, and hands this one's outcomes to its members (and the
     * failure to the batches that were never sent, when the store did not answer).
     */
    private void send(K key, Lane lane, Batch batch) {
        long[] deltas;
        synchronized (lane) {
            // No request joins a batch once it has left the queue, so its members are final here.
            deltas = Arrays.copyOf(batch.deltas, batch.size);
        }
        Outcomes outcomes = new Outcomes(deltas.length);
        RuntimeException failure = null;
        Error error = null;
        try {
            batches.record(deltas.length);
            roundTrip.apply(key, deltas, outcomes);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("the round trip failed: " + e, e);
            error = e;
        }
        // A store that did not answer fails the batches waiting behind too, unsent, so that no request waits for more
        // than one round trip's timeout; an unsent batch applied nothing.
        boolean unanswered = failure instanceof StoreUnavailableException;
        List<Batch> unsent = new ArrayList<>(0);
        Batch next;
        synchronized (lane) {
            next = lane.waiting.pollFirst();
            while (next != null && unanswered) {
                unsent.add(next);
                next = lane.waiting.pollFirst();
            }
            if (next == null) {
                lane.busy = false;
                lane.retired = true;
                lanes.remove(key, lane);
            }
        }
        if (next != null) {
            next.release();
        }
        batch.finish(failure == null ? outcomes : null, failure);
        for (Batch never : unsent) {
            never.finish(null, failure);
        }
        if (error != null) {
            throw error;
        }
    }

    /** Round trips made since this coalescer was created; fewer than {@link #submitted()} when batches formed. */
    long roundTrips() {
        return batches.count();
    }

    /** Additions asked of this coalescer since it was created. */
    long submitted() {
        return submitted.sum();
    }

    /** One key's queue: whether a round trip is in flight, and the batches waiting behind it. */
    private static final class Lane {
        /** Guarded by this lane. */
        boolean busy;
        /** Out of the map: a request that still found it takes a fresh lane. Guarded by this lane. */
        boolean retired;
        /** Guarded by this lane. */
        final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    }

    /** Additions that go as one round trip. Its first member sends it when its turn comes. */
    private static final class Batch {
        /** Members so far, their additions and threads; guarded by the lane until the batch leaves its queue. */
        int size;
        long[] deltas = new long[16];
        Thread[] threads = new Thread[16];
        /** The batch's turn has come; set once. */
        volatile boolean go;
        /** The outcomes (or the failure) are there; set once, after them. */
        private volatile boolean done;
        private Outcomes outcomes;
        private RuntimeException failure;

        /**
         * Whether {@code delta} may join: a batch's additions all have one sign, so that when their sum fits the
         * range of a long, so does every value on the way to it.
         */
        boolean accepts(long delta) {
            return size == 0 || (delta < 0) == (deltas[0] < 0);
        }

        int join(long delta) {
            if (size == deltas.length) {
                deltas = Arrays.copyOf(deltas, size * 2);
                threads = Arrays.copyOf(threads, size * 2);
            }
            deltas[size] = delta;
            threads[size] = Thread.currentThread();
            return size++;
        }

        /** Its turn has come: its first member, parked, is woken to send it. */
        void release() {
            go = true;
            LockSupport.unpark(threads[0]);
        }

        void finish(Outcomes result, RuntimeException batchFailure) {
            outcomes = result;
            failure = batchFailure;
            done = true;
            Thread self = Thread.currentThread();
            for (int i = 0; i < size; i++) {
                if (threads[i] != self) {
                    LockSupport.unpark(threads[i]);
                }
            }
        }

        /** Waits until it is this batch's turn to be sent (true), or it failed unsent (false). */
        boolean awaitTurn() {
            parkUntil(this, true);
            return !done;
        }

        /**
         * Waits until the batch is done, then answers this member's value or throws its failure. Waiting is bounded
         * by the round trip ahead and this batch's own, each bounded by the store's timeout.
         */
        long outcome(int member) {
            parkUntil(this, false);
            RuntimeException e = failureOf(member);
            if (e != null) {
                throw e;
            }
            return outcomes.values[member];
        }

        /** The failure this member gets, if any: an exception of its own when the whole batch failed unanswered. */
        private RuntimeException failureOf(int member) {
            RuntimeException e = failure != null ? failure : outcomes.failures[member];
            if (e instanceof StoreUnavailableException) {
                return new StoreUnavailableException(e.getMessage(), e);
            }
            return e;
        }

        /**
         * Parks until the batch is done (or, with {@code orTurn}, its turn has come). An interrupt does not cut the
         * wait, which would leave an addition applied with nobody to hand it to; it is kept for the caller.
         */
        private static void parkUntil(Batch batch, boolean orTurn) {
            boolean interrupted = false;
            while (!batch.done && !(orTurn && batch.go)) {
                LockSupport.park(batch);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
