package dev.tally.session;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default and "persistent" variants of tomcat-conf, installed on the Tomcat distribution exactly as the docs say
 * (the persistent one over the default files, with its setenv.sh): each caps sessions at 10000 per application, with
 * the expiry sweep every background cycle, and the persistent one keeps sessions across a restart. The cluster
 * variant is checked the same way by {@link ClusterIT}.
 */
class ShippedVariantsIT {

    @Test
    void theDefaultFilesCapSessions() throws Exception {
        try (StandaloneTomcat tomcat = StandaloneTomcat.withVariant(null, Map.of("tally.http.port",
                String.valueOf(TestServers.freePort())))) {
            assertThat(tomcat.managerMBean()).contains("className: org.apache.catalina.session.StandardManager")
                    .contains("maxActiveSessions: 10000").contains("processExpiresFrequency: 1");
        }
    }

    @Test
    void thePersistentVariantKeepsTheCapAndTheSessionsOfARestart() throws Exception {
        try (StandaloneTomcat tomcat = StandaloneTomcat.withVariant("persistent", Map.of("tally.http.port",
                String.valueOf(TestServers.freePort())))) {
            assertThat(tomcat.managerMBean()).contains("className: org.apache.catalina.session.PersistentManager")
                    .contains("maxActiveSessions: 10000").contains("processExpiresFrequency: 1");
            Http user = Http.withCookies(tomcat.base());
            for (int i = 1; i <= 3; i++) {
                assertThat(value(user.post("/api/session/counter/inc"))).isEqualTo(i);
            }

            tomcat.stop();
            tomcat.startProcess();

            assertThat(value(user.get("/api/session/counter"))).as("the session, read back after the restart")
                    .isEqualTo(3);
            assertThat(value(user.post("/api/session/counter/inc"))).isEqualTo(4);
        }
    }
}
