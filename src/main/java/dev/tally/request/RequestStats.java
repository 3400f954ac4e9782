package dev.tally.request;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts request contexts opened and released, across all requests: {@code open - released} is the number in
 * flight, so a context that is never released (a leak) or released twice shows at once.
 */
@ApplicationScoped
public class RequestStats {

    private final LongAdder opened = new LongAdder();
    private final LongAdder released = new LongAdder();

    void opened() {
        opened.increment();
    }

    void released() {
        released.increment();
    }

    public long openedCount() {
        return opened.sum();
    }

    public long releasedCount() {
        return released.sum();
    }
}
