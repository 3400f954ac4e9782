package dev.tally.store.redis;

import dev.tally.store.StoreUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Jedis client that can only be built once a server answers (Sentinel's pool asks a sentinel where the master is;
 * the cluster client asks a node for the slots). Tally starts while none answers, as it does while a single Redis is
 * down: the client is built on first use, and while it cannot be, requests fail at once with 503, trying again at most
 * once a second; a request never waits behind another that is trying.
 *
 * @param <T> the client, closed with the application
 */
final class BuiltOnFirstUse<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BuiltOnFirstUse.class.getName());
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String asking;
    private final Supplier<T> build;
    private final ReentrantLock building = new ReentrantLock();
    private volatile T built;
    private volatile boolean closed;
    private long nextAttempt = System.nanoTime();
    private String lastFailure = "not asked yet";

    /**
     * @param asking what building asks, for messages: "no sentinel of [...] named the master tally"
     * @param build  builds the client; a {@link JedisException} when no server answers
     */
    BuiltOnFirstUse(String asking, Supplier<T> build) {
        this.asking = asking;
        this.build = build;
    }

    T get() {
        T client = built;
        return client != null ? client : build();
    }

    private T build() {
        if (!building.tryLock()) {
            throw unavailable("another request is building the client (" + asking + ")");
        }
        try {
            if (built != null) {
                return built;
            }
            if (closed) {
                throw unavailable("the store is closed");
            }
            if (System.nanoTime() - nextAttempt < 0) {
                throw unavailable(lastFailure);
            }
            try {
                built = build.get();
                return built;
            } catch (JedisException e) {
                nextAttempt = System.nanoTime() + RETRY_NANOS;
                lastFailure = asking + " (" + e.getMessage() + ")";
                LOG.warning("Redis: " + lastFailure + "; trying again on a request after 1 s");
                throw unavailable(lastFailure);
            }
        } finally {
            building.unlock();
        }
    }

    private static StoreUnavailableException unavailable(String why) {
        return new StoreUnavailableException("redis store: " + why, null);
    }

    /** Closes the client if it was built; later requests fail with 503. */
    @Override
    public void close() {
        building.lock();
        try {
            closed = true;
            if (built != null) {
                built.close();
            }
        } catch (Exception e) {
            LOG.warning("Redis: closing the client failed: " + e);
        } finally {
            building.unlock();
        }
    }
}
