package dev.tally.session;

import java.io.Serial;

/**
 * A visitor's own counter, as kept in their {@code HttpSession}. Immutable: a change puts a new one in the session
 * with {@code setAttribute}, which is what makes a persisting or replicating container see it.
 */
record SessionCount(long value) implements SessionValue {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String ATTRIBUTE = "dev.tally.session.count";

    /** What a counter takes: a share of its session and the record itself. */
    static final long BYTES = SESSION_BYTES + 16;

    @Override
    public long bytes() {
        return BYTES;
    }
}
