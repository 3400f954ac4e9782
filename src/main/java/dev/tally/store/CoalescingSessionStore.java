package dev.tally.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;

/**
 * A session store whose per-user counter changes are coalesced as the global counter's increments are
 * ({@link Coalescer}): the changes of one session's counter that arrive while a round trip for it is in flight go
 * together as one {@link SessionStore#add add(id, sum)}, and each request gets the value its own change gave, in the
 * order they arrived (one user's tabs hammering their counter cost one round trip per batch, not one each). A session
 * found gone fails the whole batch, and each of its requests then starts a session of its own, as it would alone.
 * Everything else goes straight to the store.
 */
public final class CoalescingSessionStore implements SessionStore {

    /**
     * What a batch is coalesced on: the session, and how its requests extend it (the same for all of them).
     *
     * <p>{@code equals} and {@code hashCode} are written out. The generated ones of a record with a component of this
     * application's type ({@code Touch}) make the JDK's {@code ObjectMethods} cache a method handle of that type in
     * one of its static fields (Java 17), which kept this application's class loader after a reload ({@code ReloadIT}
     * found it, through {@code ObjectMethods.OBJECTS_HASHCODE.asTypeCache}).
     */
    private record Key(String id, Touch touch) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && id.equals(key.id) && touch.timeoutMillis() == key.touch.timeoutMillis()
                    && touch.touchMillis() == key.touch.touchMillis();
        }

        @Override
        public int hashCode() {
            int hash = id.hashCode() * 31 + Long.hashCode(touch.timeoutMillis());
            return hash * 31 + Long.hashCode(touch.touchMillis());
        }
    }

    /** The batch's session was gone: each member answers empty. Thrown without a stack trace. */
    private static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Gone() {
            super("the session is gone", null, false, false);
        }
    }

    private static final Gone GONE = new Gone();

    private final SessionStore store;
    private final Coalescer<Key> coalescer;

    /**
     * @param store    the store that applies the changes; its {@link SessionStore#add} must be one atomic operation
     * @param maxBatch the most changes one round trip carries, at least 2
     */
    public CoalescingSessionStore(SessionStore store, int maxBatch) {
        this(store, maxBatch, new SimpleMeterRegistry());
    }

    /** As {@link #CoalescingSessionStore(SessionStore, int)}, recording each batch's size into {@code registry}. */
    public CoalescingSessionStore(SessionStore store, int maxBatch, MeterRegistry registry) {
        this.store = store;
        this.coalescer = new Coalescer<>(this::roundTrip, maxBatch, Coalescer.batchSizes(registry, "session counter"));
    }

    @Override
    public Optional<Long> add(String id, long delta, Touch touch) {
        if (touch == null) {
            // A session made by this very request: nobody else knows its id yet.
            return store.add(id, delta, touch);
        }
        try {
            return Optional.of(coalescer.submit(new Key(id, touch), delta));
        } catch (Gone gone) {
            return Optional.empty();
        }
    }

    /** One round trip for the batch; one change at a time if together they pass the range of a long. */
    private void roundTrip(Key key, long[] deltas, Coalescer.Outcomes outcomes) {
        long sum = 0;
        boolean overflow = false;
        for (long delta : deltas) {
            try {
                sum = Math.addExact(sum, delta);
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        if (!overflow) {
            try {
                outcomes.inOrder(deltas, store.add(key.id(), sum, key.touch()).orElseThrow(() -> GONE));
                return;
            } catch (CounterExhaustedException e) {
                // Some of them may still fit: one by one below.
            }
        }
        for (int i = 0; i < deltas.length; i++) {
            try {
                Optional<Long> value = store.add(key.id(), deltas[i], key.touch());
                if (value.isPresent()) {
                    outcomes.value(i, value.get());
                } else {
                    outcomes.fail(i, GONE);
                }
            } catch (CounterExhaustedException e) {
                outcomes.fail(i, e);
            }
        }
    }

    /** Round trips made for counter changes since this store was created. */
    public long roundTrips() {
        return coalescer.roundTrips();
    }

    /** Counter changes asked of this store (of sessions that existed before their request) since it was created. */
    public long changes() {
        return coalescer.submitted();
    }

    @Override
    public Outcome create(String id, long timeoutMillis, long maxSessions) {
        return store.create(id, timeoutMillis, maxSessions);
    }

    @Override
    public Optional<Found> resume(String id, Touch touch) {
        return store.resume(id, touch);
    }

    @Override
    public boolean resetCounter(String id, Touch touch) {
        return store.resetCounter(id, touch);
    }

    @Override
    public Optional<Versioned> get(String id, String key) {
        return store.get(id, key);
    }

    @Override
    public Outcome put(String id, String key, String expected, String json, String version, int maxKeys,
            Touch touch) {
        return store.put(id, key, expected, json, version, maxKeys, touch);
    }

    @Override
    public Outcome remove(String id, String key, String expected, Touch touch) {
        return store.remove(id, key, expected, touch);
    }

    @Override
    public void delete(String id) {
        store.delete(id);
    }

    @Override
    public long live() {
        return store.live();
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
