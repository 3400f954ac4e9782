package dev.tally.session;

import dev.tally.store.MemoryBudget;
import java.io.Serial;
import java.util.LinkedHashMap;

/**
 * A visitor's structured data, as kept in their {@code HttpSession}: key to JSON text. Immutable, for the same
 * reason as {@link SessionCount}; strings make it serializable whatever the JSON holds.
 */
final class SessionData implements SessionValue {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String ATTRIBUTE = "dev.tally.session.data";
    static final SessionData EMPTY = new SessionData(new LinkedHashMap<>());

    /** What one key and value cost besides their characters: the map's entry and two string headers. */
    static final long ENTRY_BYTES = 96;

    private final LinkedHashMap<String, String> values;
    /** {@link #bytes()}, once known; 0 until then (also after the session is read back). */
    private transient long bytes;

    private SessionData(LinkedHashMap<String, String> values) {
        this.values = values;
    }

    @Override
    public long bytes() {
        if (bytes == 0) {
            long total = SESSION_BYTES;
            for (var entry : values.entrySet()) {
                total += entryBytes(entry.getKey(), entry.getValue());
            }
            bytes = total;
        }
        return bytes;
    }

    private static long entryBytes(String key, String json) {
        return json == null ? 0 : ENTRY_BYTES + MemoryBudget.stringBytes(key) + MemoryBudget.stringBytes(json);
    }

    String get(String key) {
        return values.get(key);
    }

    int size() {
        return values.size();
    }

    boolean contains(String key) {
        return values.containsKey(key);
    }

    SessionData with(String key, String json) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        String old = copy.put(key, json);
        SessionData changed = new SessionData(copy);
        changed.bytes = bytes() - entryBytes(key, old) + entryBytes(key, json);
        return changed;
    }

    SessionData without(String key) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        String old = copy.remove(key);
        SessionData changed = new SessionData(copy);
        changed.bytes = bytes() - entryBytes(key, old);
        return changed;
    }
}
