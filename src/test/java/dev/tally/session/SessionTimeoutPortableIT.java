package dev.tally.session;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.TallyServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anonymous sessions nobody comes back to die young: a new session lives {@code tally.session.newTimeout} seconds
 * idle (2 here) until its client sends the cookie back; from then on the container's session-timeout (30 minutes in
 * web.xml) applies. The containers check a session's age when it is asked for, so the test needs no expiry sweep.
 * Each case is set up first, then one wait past the new-session timeout serves them all.
 */
class SessionTimeoutPortableIT {

    private static final long PAST_THE_NEW_TIMEOUT_MILLIS = 4_500;

    @RegisterExtension
    static final TallyServer tally = new TallyServer(Map.of("tally.session.newTimeout", "2"));

    private static String neverReturnedCookie;
    private static Http returnedWithAWrite;
    private static Http returnedWithARead;
    private static Http usedTheFormOnce;

    @BeforeAll
    static void setUpEachCaseThenWaitOnce() throws Exception {
        HttpResponse<String> created = tally.curl().post("/api/session/counter/inc");
        assertThat(value(created)).isEqualTo(1);
        neverReturnedCookie = created.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        returnedWithAWrite = tally.browser();
        assertThat(value(returnedWithAWrite.post("/api/session/counter/inc"))).isEqualTo(1);
        assertThat(value(returnedWithAWrite.post("/api/session/counter/inc"))).isEqualTo(2);

        returnedWithARead = tally.browser();
        assertThat(returnedWithARead.putJson("/api/session/data/cart", "[1,2]").statusCode()).isEqualTo(204);
        assertThat(returnedWithARead.get("/api/session/data/cart").body()).isEqualTo("[1,2]\n");

        usedTheFormOnce = tally.browser();
        HttpResponse<String> form = usedTheFormOnce.send("POST", "/", "action=inc", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", tally.origin());
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(usedTheFormOnce.sessionId()).isNotNull();

        Thread.sleep(PAST_THE_NEW_TIMEOUT_MILLIS);
    }

    @Test
    void aSessionWhoseCookieNeverCameBackExpiresAfterTheNewTimeout() {
        HttpResponse<String> late = tally.curl().get("/api/session/counter", "Cookie", neverReturnedCookie);
        assertThat(value(late)).as("the session is gone").isZero();
        HttpResponse<String> write = tally.curl().post("/api/session/counter/inc", "Cookie", neverReturnedCookie);
        assertThat(value(write)).isEqualTo(1);
        assertThat(write.headers().firstValue("Set-Cookie")).as("a new session, a new id").isPresent()
                .get().asString().doesNotContain(neverReturnedCookie);
    }

    @Test
    void aSessionTheClientCameBackToWithAWriteKeepsTheFullTimeout() {
        assertThat(value(returnedWithAWrite.get("/api/session/counter"))).isEqualTo(2);
    }

    @Test
    void aSessionTheClientCameBackToWithAReadKeepsTheFullTimeout() {
        assertThat(returnedWithARead.get("/api/session/data/cart").body()).isEqualTo("[1,2]\n");
    }

    @Test
    void theHomePageFormIsTreatedLikeTheApi() {
        assertThat(value(usedTheFormOnce.get("/api/session/counter"))).as("the session is gone").isZero();
    }
}
