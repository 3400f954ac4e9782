package dev.tally.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

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
 * still handed out, each once. The batching itself is {@link Coalescer}'s.
 */
public final class CoalescingCounterStore implements CounterStore {

    private final CounterStore store;
    private final Coalescer<String> coalescer;

    /**
     * @param store    the store that applies the increments; its {@link CounterStore#add} must be one atomic operation
     * @param maxBatch the most increments one round trip carries, at least 2
     */
    public CoalescingCounterStore(CounterStore store, int maxBatch) {
        this(store, maxBatch, new SimpleMeterRegistry());
    }

    /** As {@link #CoalescingCounterStore(CounterStore, int)}, recording each batch's size into {@code registry}. */
    public CoalescingCounterStore(CounterStore store, int maxBatch, MeterRegistry registry) {
        this.store = store;
        this.coalescer = new Coalescer<>(this::roundTrip, maxBatch, Coalescer.batchSizes(registry, "counter"));
    }

    @Override
    public long increment(String name) {
        return coalescer.submit(name, 1);
    }


    /** The values of a batch's increments, from one round trip; one at a time if together they pass the end. */
    private void roundTrip(String name, long[] deltas, Coalescer.Outcomes outcomes) {
        if (deltas.length == 1) {
            outcomes.value(0, store.increment(name));
            return;
        }
        try {
            outcomes.inOrder(deltas, store.add(name, deltas.length));
        } catch (CounterExhaustedException e) {
            for (int i = 0; i < deltas.length; i++) {
                try {
                    outcomes.value(i, store.increment(name));
                } catch (CounterExhaustedException atTheEnd) {
                    for (int rest = i; rest < deltas.length; rest++) {
                        outcomes.fail(rest, atTheEnd);
                    }
                    return;
                }
            }
        }
    }

    /** Round trips made for increments since this store was created; fewer than {@link #increments()} if coalesced. */
    public long roundTrips() {
        return coalescer.roundTrips();
    }

    /** Increments asked of this store since it was created. */
    public long increments() {
        return coalescer.submitted();
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
}
