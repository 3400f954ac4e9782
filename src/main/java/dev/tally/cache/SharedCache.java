package dev.tally.cache;

import dev.tally.config.TallyConfig;
import dev.tally.ops.Metrics;
import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.store.CacheStore;
import dev.tally.store.Keys;
import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shared cache, like Flask-Caching's {@code cache.set(key, value, timeout)} and {@code cache.get(key)}: one for
 * the whole application, over the configured {@link CacheStore}.
 */
@ApplicationScoped
public class SharedCache {

    private static final Pattern TTL = Pattern.compile("[0-9]{1,18}");

    @Inject
    CacheStore store;
    @Inject
    TallyConfig config;
    @Inject
    Metrics metrics;

    private Counter hits;
    private Counter misses;

    @PostConstruct
    void register() {
        hits = lookups("hit");
        misses = lookups("miss");
    }

    private Counter lookups(String result) {
        return Counter.builder("tally.cache.gets").description("Cache lookups, by whether a value was found")
                .tag("result", result).register(metrics.registry());
    }

    public Optional<String> get(String key) {
        Optional<String> value = store.get(Keys.valid(key));
        (value.isPresent() ? hits : misses).increment();
        return value;
    }

    /** Stores a JSON value for {@code ttl}. */
    public void put(String key, String json, Duration ttl) {
        store.put(Keys.valid(key), json, ttl);
    }

    public void delete(String key) {
        store.delete(Keys.valid(key));
    }

    /**
     * The time to live a client asked for.
     *
     * @param ttl seconds, as the client wrote them; {@code null} for {@code tally.cache.defaultTtl}
     */
    public Duration ttl(String ttl) {
        if (ttl == null) {
            return Duration.ofSeconds(config.cacheDefaultTtl());
        }
        // ASCII digits only: Long.parseLong alone would also take "+5" and other scripts' digits ("\uFF15").
        if (TTL.matcher(ttl).matches()) {
            long seconds = Long.parseLong(ttl);
            if (seconds >= 1 && seconds <= TallyConfig.MAX_TTL_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        }
        throw new InvalidInputException(Problem.INVALID_TTL,
                "ttl is a whole number of seconds from 1 to " + TallyConfig.MAX_TTL_SECONDS + ".");
    }
}
