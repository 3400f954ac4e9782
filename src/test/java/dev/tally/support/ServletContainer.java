package dev.tally.support;

import java.io.File;
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

    /**
     * The packaged WAR, as Failsafe names it. Here rather than in one container's class, so that loading it needs no
     * container on the class path.
     */
    static File war() {
        File war = new File(System.getProperty("tally.war", "target/tally.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("No WAR at " + war.getAbsolutePath() + ": run ./mvnw verify");
        }
        return war;
    }
}
