package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.support.CapturedLog;
import dev.tally.support.EmbeddedTomcat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.Test;

/**
 * A bad setting stops the deployment with a log line naming the setting, and a store URL's credentials never reach
 * the log.
 */
class BadSettingIT {

    @Test
    void unusableNumberStopsTheDeploymentNamingTheSetting() throws Exception {
        List<String> log = capturedLog(Map.of("tally.cache.maxEntries", "lots"));

        assertThat(log).anySatisfy(line -> assertThat(line)
                .contains("Invalid setting tally.cache.maxEntries: expected an integer from 1 to"));
    }

    @Test
    void unsupportedStoreStopsTheDeploymentWithoutLoggingCredentials() throws Exception {
        List<String> log = capturedLog(Map.of("tally.store", "mongodb://tally:s3cr3t-pw@db.example:27017/x"));

        assertThat(log).anySatisfy(line -> assertThat(line).contains("Invalid setting tally.store: 'mongodb'"));
        assertThat(log).noneSatisfy(line -> assertThat(line).contains("s3cr3t-pw"));
    }

    @Test
    void unsupportedStoreStopsTheDeploymentWhateverTheLogLevel() {
        // Tally once opened its store in a log message's supplier, which does not run when INFO is off.
        Logger tally = Logger.getLogger("dev.tally");
        Level before = tally.getLevel();
        tally.setLevel(Level.WARNING);
        try {
            assertThatThrownBy(() -> EmbeddedTomcat.start(Map.of("tally.store", "mongodb://db.example/x")))
                    .isInstanceOf(LifecycleException.class);
        } finally {
            tally.setLevel(before);
        }
    }

    @Test
    void aSessionStoreThatCannotHoldSessionsForManyNodesStopsTheDeployment() throws Exception {
        assertThat(capturedLog(Map.of("tally.session.store", "store"))).as("store, when tally.store is memory")
                .anySatisfy(line -> assertThat(line).contains("Invalid setting tally.session.store: 'store' means"));
        assertThat(capturedLog(Map.of("tally.session.store", "memory")))
                .anySatisfy(line -> assertThat(line).contains("Invalid setting tally.session.store: memory is not"));
        List<String> log = capturedLog(Map.of("tally.session.store", "mongodb://tally:s3cr3t-pw@db.example/x"));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("Invalid setting tally.session.store: 'mongodb'"));
        assertThat(log).noneSatisfy(line -> assertThat(line).contains("s3cr3t-pw"));
    }

    /** Deploys the WAR with these settings, checks it fails to start, and answers everything logged meanwhile. */
    private static List<String> capturedLog(Map<String, String> parameters) {
        try (CapturedLog log = CapturedLog.start()) {
            assertThatThrownBy(() -> EmbeddedTomcat.start(parameters)).isInstanceOf(LifecycleException.class);
            return log.lines();
        }
    }
}
