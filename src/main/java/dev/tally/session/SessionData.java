package dev.tally.session;

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

    private final LinkedHashMap<String, String> values;

    private SessionData(LinkedHashMap<String, String> values) {
        this.values = values;
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
        copy.put(key, json);
        return new SessionData(copy);
    }

    SessionData without(String key) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return new SessionData(copy);
    }
}
