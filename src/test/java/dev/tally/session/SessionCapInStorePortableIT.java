package dev.tally.session;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.RedisCommands;
import dev.tally.support.TallyServer;
import dev.tally.support.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cap on sessions held in the store, through HTTP: at {@code tally.session.maxSessions} a request that needs a
 * new session gets 503 {@code TOO_MANY_SESSIONS} with {@code Retry-After}, never a 500, while the users who have one
 * go on. Redis database 3, which only this suite uses: it forgets that database's sessions first.
 */
class SessionCapInStorePortableIT {

    private static final String REDIS = redis();

    @RegisterExtension
    static final TallyServer tally = new TallyServer(Map.of("tally.store", REDIS, "tally.session.store", "store",
            "tally.session.maxSessions", "3"));

    private static String redis() {
        try {
            return TestServers.redisUrl("SessionCapInStorePortableIT").replaceAll("/1$", "/3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void pastTheCapANewcomerIsToldToComeBackAndTheOthersGoOn() {
        RedisCommands.run(REDIS, new String[] {"DEL", "tally:sessions"});
        String first = null;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = tally.curl().post("/api/session/counter/inc");
            assertThat(created.statusCode()).isEqualTo(200);
            first = first != null ? first : created.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        }

        HttpResponse<String> refused = tally.curl().post("/api/session/counter/inc");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Http.json(refused).get("code").asText()).isEqualTo("TOO_MANY_SESSIONS");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(value(tally.curl().post("/api/session/counter/inc", "Cookie", first))).isEqualTo(2);
        assertThat(tally.curl().get("/api/session/counter").statusCode()).as("a read needs no session").isEqualTo(200);
    }
}
