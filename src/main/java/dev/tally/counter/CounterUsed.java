package dev.tally.counter;

/**
 * A CDI event: a request incremented the global counter {@code name} for the first time in this JVM. Fired by
 * {@link Counters} on the request thread, once per name and for the first {@value #MAX_NAMES} names only, for whoever
 * observes it (the admin console registers an MBean for each counter it hears of), so that the service depends on no
 * observer and a request pays for the event only when there is news.
 */
public record CounterUsed(String name) {

    /** Names announced at most, so that a flood of invented names cannot flood the observers. */
    public static final int MAX_NAMES = 1000;
}
