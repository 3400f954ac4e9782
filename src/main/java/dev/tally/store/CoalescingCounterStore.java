package dev.tally.store;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Increments of one counter that arrive while a round trip for it is in flight go together as one round trip (group
 * commit, or flat combining): the first increment of a counter goes at once; those that arrive while it is in flight
 * wait, then go as one {@link CounterStore#add add(name, k)}, and the k waiting requests get the values v-k+1..v in
 * the order they arrived. A request never waits for a batch to fill, and a batch holds at most {@code maxBatch}
 * increments (those past it form the next batch). One round trip per counter is in flight from this JVM at a time.
 *
 * <p>Every value is still handed out once: each batch is one atomic store operation, and its k values are split
 * among exactly k requests. When the round trip fails, every request of the batch fails with it (a 503 for an
 * unreachable store): the increments may or may not have been applied, which leaves a gap, never a repeat, as for
 * a single increment. The batches waiting behind a round trip that found the store unreachable fail with it, unsent,
 * so that a request waits for one store timeout at most, as it would alone. A batch that would pass 2^63-1 is
 * refused by the store as a whole and then sent again one increment at a time, so the last values of a counter are
 * still handed out, each once.
 */
public final class CoalescingCounterStore implements CounterStore {

    private final CounterStore store;
    private final int maxBatch;
    /** The counters with a round trip in flight; a lane leaves the map when its last batch is done. */
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder increments = new LongAdder();

    /**
     * @param store    the store that applies the increments; its {@link CounterStore#add} must be one atomic operation
     * @param maxBatch the most increments one round trip carries, at least 2
     */
    public CoalescingCounterStore(CounterStore store, int maxBatch) {
        if (maxBatch < 2) {
            throw new IllegalArgumentException("a batch must be able to hold two increments");
        }
        this.store = store;
        this.maxBatch = maxBatch;
    }

    @Override
    public long increment(String name) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(name, n -> new Lane());
            Batch batch;
            int index;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                if (!lane.busy) {
                    lane.busy = true;
                    batch = new Batch();
                    index = batch.size++;
                    batch.go = true;
                } else {
                    batch = lane.waiting.peekLast();
                    if (batch == null || batch.size == maxBatch) {
                        batch = new Batch();
                        lane.waiting.addLast(batch);
                    }
                    index = batch.size++;
                }
            }
            increments.increment();
            if (index == 0 && batch.awaitTurn()) {
                send(name, lane, batch);
            }
            return batch.value(index, name);
        }
    }

    /** Sends a batch whose turn it is, hands its values or its failure to its members, and lets the next one go. */
    private void send(String name, Lane lane, Batch batch) {
        int size;
        synchronized (lane) {
            // No request joins a batch once it has left the queue, so its size is final here.
            size = batch.size;
        }
        RuntimeException unavailable = null;
        try {
            roundTrips.increment();
            batch.succeed(size == 1 ? new long[] {store.increment(name)} : addAll(name, size));
        } catch (StoreUnavailableException e) {
            unavailable = e;
            batch.fail(e);
        } catch (RuntimeException e) {
            batch.fail(e);
        } catch (Error e) {
            batch.fail(new IllegalStateException("the round trip failed: " + e, e));
            throw e;
        } finally {
            synchronized (lane) {
                Batch next = lane.waiting.pollFirst();
                // A store that did not answer fails the batches waiting behind too, unsent, so that no request waits
                // for more than one round trip's timeout; an unsent batch applied nothing.
                while (next != null && unavailable != null) {
                    next.fail(unavailable);
                    next = lane.waiting.pollFirst();
                }
                if (next == null) {
                    lane.busy = false;
                    lane.retired = true;
                    lanes.remove(name, lane);
                } else {
                    next.release();
                }
            }
        }
    }

    /** The values of {@code size} increments, from one round trip; one at a time if together they pass the end. */
    private long[] addAll(String name, int size) {
        long[] values = new long[size];
        long last;
        try {
            last = store.add(name, size);
        } catch (CounterExhaustedException e) {
            Arrays.fill(values, Batch.EXHAUSTED);
            for (int i = 0; i < size; i++) {
                try {
                    roundTrips.increment();
                    values[i] = store.increment(name);
                } catch (CounterExhaustedException atTheEnd) {
                    break;
                }
            }
            return values;
        }
        for (int i = 0; i < size; i++) {
            values[i] = last - size + 1 + i;
        }
        return values;
    }

    /** Round trips made for increments since this store was created; fewer than {@link #increments()} if coalesced. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Increments asked of this store since it was created. */
    public long increments() {
        return increments.sum();
    }

    @Override
    public long add(String name, int count) {
        return store.add(name, count);
    }

    @Override
    public long get(String name) {
        return store.get(name);
    }

    @Override
    public long advanceTo(String name, long value) {
        return store.advanceTo(name, value);
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public void reset(String name) {
        store.reset(name);
    }

    @Override
    public String kind() {
        return store.kind();
    }

    @Override
    public void ping() {
        store.ping();
    }

    /** One counter's queue: whether a round trip is in flight, and the batches waiting behind it. */
    private static final class Lane {
        /** Guarded by this lane. */
        boolean busy;
        /** Out of the map: an increment that still found it takes a fresh lane. Guarded by this lane. */
        boolean retired;
        /** Guarded by this lane. */
        final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    }

    /** Increments that go as one round trip. Its first member sends it when its turn comes. */
    private static final class Batch {
        static final long EXHAUSTED = Long.MIN_VALUE;

        /** Members so far; guarded by the lane. */
        int size;
        /** Guarded by this batch. */
        boolean go;
        private boolean done;
        private long[] values;
        private RuntimeException failure;

        /**
         * Waits on this batch (whose lock the caller holds) until {@code condition} holds. An interrupt does not cut
         * the wait, which would leave an increment applied with nobody to hand it to; it is kept for the caller.
         */
        private void await(BooleanSupplier condition) {
            boolean interrupted = false;
            while (!condition.getAsBoolean()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void release() {
            go = true;
            notifyAll();
        }

        /** Waits until it is this batch's turn to be sent (true), or it failed unsent (false). */
        synchronized boolean awaitTurn() {
            await(() -> go || done);
            return !done;
        }

        synchronized void succeed(long[] result) {
            values = result;
            done = true;
            notifyAll();
        }

        synchronized void fail(RuntimeException e) {
            failure = e;
            done = true;
            notifyAll();
        }

        /**
         * Waits until the batch is done, then answers this member's value or throws the batch's failure. Waiting is
         * bounded by the round trip ahead and this batch's own, each bounded by the store's timeout.
         */
        synchronized long value(int index, String name) {
            await(() -> done);
            if (failure != null) {
                throw copy(failure);
            }
            if (values[index] == EXHAUSTED) {
                throw new CounterExhaustedException(name);
            }
            return values[index];
        }

        /** Each member gets an exception of its own, of the same kind, with the batch's as its cause. */
        private static RuntimeException copy(RuntimeException e) {
            if (e instanceof StoreUnavailableException) {
                return new StoreUnavailableException(e.getMessage(), e);
            }
            return e;
        }
    }
}
