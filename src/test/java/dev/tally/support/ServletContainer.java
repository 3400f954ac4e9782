package dev.tally.support;

import java.util.Set;

/** A servlet container running the packaged WAR at {@code /tally} on a free port of localhost, for the tests. */
public interface ServletContainer extends AutoCloseable {

    /** {@code http://localhost:PORT} */
    String origin();

    /** {@code http://localhost:PORT/tally} */
    default String base() {
        return origin() + "/tally";
    }

    /** The URL patterns of the servlets the WAR declares (the container's own default servlets left out). */
    Set<String> tallyServletMappings();

    /** Name and version, e.g. {@code Apache Tomcat/10.1.49}. */
    String serverInfo();
}
