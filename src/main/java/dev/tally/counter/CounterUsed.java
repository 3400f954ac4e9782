package dev.tally.counter;

/**
 * A CDI event: a request incremented the global counter {@code name}. Fired by {@link Counters} on the request thread,
 * for whoever observes it (the admin console registers an MBean for each counter it hears of), so that the service
 * depends on no observer.
 */
public record CounterUsed(String name) {
}
