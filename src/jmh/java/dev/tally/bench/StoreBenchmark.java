package dev.tally.bench;

import dev.tally.store.CoalescingCounterStore;
import dev.tally.store.CounterStore;
import dev.tally.store.MemoryBackend;
import dev.tally.store.MemoryBudget;
import dev.tally.store.StoreBackend;
import dev.tally.store.jdbc.JdbcBackend;
import dev.tally.store.redis.RedisBackend;
import dev.tally.store.redis.RedisOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Micro-benchmarks of each store behind Tally's contracts, without HTTP: one increment, one cache get, one cache put,
 * from 4 threads, and increments from 32 threads; {@code maxBatch} 1 sends every increment on its own, 128 coalesces
 * those that arrive while one of the same counter is in flight (as Tally does on Redis and SQL). Run with {@code ./mvnw -Pjmh verify} (Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 for
 * those stores); {@code -Djmh.args="..."} passes options to JMH, e.g. {@code -Djmh.args="-p store=memory"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class StoreBenchmark {

    private static final String VALUE = "{\"user\":\"bench\",\"items\":[1,2,3],\"ok\":true}";

    @Param({"memory", "redis://127.0.0.1:6379", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"})
    public String store;

    @Param({"1", "128"})
    public int maxBatch;

    /** {@code tally.store.replicas} for a Redis store: 1 makes each change wait for one replica. */
    @Param({"0"})
    public int replicas;

    private StoreBackend backend;
    private CounterStore counters;
    private final String counter = "jmh-" + System.nanoTime();

    @Setup
    public void open() {
        Duration timeout = Duration.ofSeconds(2);
        // "env:NAME" takes the URL from an environment variable (bench/ha): a JMH parameter cannot hold the commas
        // of a Sentinel or Cluster URL.
        String url = store.startsWith("env:") ? System.getenv(store.substring(4)) : store;
        backend = url.equals("memory") ? new MemoryBackend(100_000, 10_000, 64L << 20, new MemoryBudget(1L << 30))
                : RedisBackend.handles(url) ? RedisBackend.open(url, timeout, 16, null,
                        new RedisOptions(replicas, null, null, null, null))
                : JdbcBackend.forUrl(url, timeout, 16);
        backend.cache().put("jmh", VALUE, Duration.ofHours(1));
        counters = maxBatch > 1 ? new CoalescingCounterStore(backend.counters(), maxBatch) : backend.counters();
    }

    @TearDown
    public void close() {
        backend.close();
    }

    @Benchmark
    public long increment() {
        return counters.increment(counter);
    }

    @Benchmark
    @Threads(32)
    public long incrementFrom32Threads() {
        return counters.increment(counter);
    }

    @Benchmark
    public Object cacheGet() {
        return backend.cache().get("jmh");
    }

    @Benchmark
    public void cachePut() {
        backend.cache().put("jmh", VALUE, Duration.ofHours(1));
    }
}
