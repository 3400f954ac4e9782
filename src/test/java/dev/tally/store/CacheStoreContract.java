package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CacheStore} must do. A store is done when a subclass of this passes.
 */
public abstract class CacheStoreContract {

    protected CacheStore store;
    /** A key no other test, and no earlier run against a shared server, has used. */
    protected String key;

    /** The store under test; called before each test. */
    protected abstract CacheStore createStore() throws Exception;

    /** Lets at least {@code time} pass for the store (a fake clock, or real waiting for an external server). */
    protected abstract void elapse(Duration time) throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        key = "contract:" + UUID.randomUUID();
    }

    @Test
    void missingKeyIsEmpty() {
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void putThenGetAnswersTheValueExactly() {
        String json = "{\"a\":[1,2.50,{\"b\":null}],\"s\":\"\u00fc\\\"x\"}";
        store.put(key, json, Duration.ofMinutes(5));
        assertThat(store.get(key)).hasValue(json);
    }

    @Test
    void putReplaces() {
        store.put(key, "1", Duration.ofMinutes(5));
        store.put(key, "2", Duration.ofMinutes(5));
        assertThat(store.get(key)).hasValue("2");
    }

    @Test
    void deleteRemovesAndIgnoresMissing() {
        store.put(key, "1", Duration.ofMinutes(5));
        store.delete(key);
        assertThat(store.get(key)).isEmpty();
        store.delete(key);
        store.delete(key + "-never");
    }

    @Test
    void expiredValueIsNeverServed() throws Exception {
        store.put(key, "\"short\"", Duration.ofSeconds(1));
        store.put(key + "-long", "\"long\"", Duration.ofMinutes(5));
        assertThat(store.get(key)).hasValue("\"short\"");

        elapse(Duration.ofMillis(1_500));

        assertThat(store.get(key)).isEmpty();
        assertThat(store.get(key + "-long")).hasValue("\"long\"");
    }

    @Test
    void replacingRenewsTheTtl() throws Exception {
        store.put(key, "1", Duration.ofSeconds(1));
        store.put(key, "2", Duration.ofMinutes(5));
        elapse(Duration.ofMillis(1_500));
        assertThat(store.get(key)).hasValue("2");
    }

    @Test
    void keysAreDataNotCommands() {
        String odd = key + "'; DROP TABLE x; --*?";
        store.put(odd, "1", Duration.ofMinutes(5));
        assertThat(store.get(odd)).hasValue("1");
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void storeHasAKindAndAnswers() {
        assertThat(store.kind()).isNotBlank();
        store.ping();
    }
}
