package dev.tally.admin;

/**
 * One global counter in the container's admin console (jconsole, Tomcat Manager's JMX proxy):
 * {@code dev.tally:type=Counter,context=<context path>,name=<counter>}.
 */
public interface CounterMXBean {

    String getName();

    /** The counter's current value in the store; -1 when the store does not answer. */
    long getValue();

    /** Sets the counter back to 0, as {@code DELETE /api/counters/{name}} does. */
    void reset();
}
