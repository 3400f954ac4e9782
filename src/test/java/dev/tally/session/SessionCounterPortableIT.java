package dev.tally.session;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user counter in HttpSession, through the real WAR.
 */
class SessionCounterPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();

    @Test
    void fiftyParallelClientsOfOneSessionTimesTwentyIncrementsGiveExactlyOneThousand() throws Exception {
        Http browser = tally.browser();
        assertThat(value(browser.post("/api/session/counter/inc"))).isEqualTo(1);
        String session = browser.sessionId();

        List<Long> values = Concurrently.run(50, 20, (client, request) -> {
            HttpResponse<String> response = browser.post("/api/session/counter/inc");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
            return value(response);
        });

        assertThat(values).hasSize(1000).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 1001).boxed().toList());
        assertThat(value(browser.get("/api/session/counter"))).isEqualTo(1001);
        assertThat(browser.sessionId()).isEqualTo(session);
    }

    @Test
    void twoCookieJarsKeepSeparateCountersThroughIncIncDecReset() {
        Http alice = tally.browser();
        Http bob = tally.browser();

        assertThat(value(alice.post("/api/session/counter/inc"))).isEqualTo(1);
        assertThat(value(bob.post("/api/session/counter/inc"))).isEqualTo(1);
        assertThat(value(alice.post("/api/session/counter/inc"))).isEqualTo(2);
        assertThat(value(alice.post("/api/session/counter/inc"))).isEqualTo(3);
        assertThat(value(bob.post("/api/session/counter/dec"))).isZero();
        assertThat(value(alice.post("/api/session/counter/dec"))).isEqualTo(2);
        assertThat(value(bob.post("/api/session/counter/dec"))).isEqualTo(-1);

        assertThat(value(alice.get("/api/session/counter"))).isEqualTo(2);
        assertThat(value(bob.get("/api/session/counter"))).isEqualTo(-1);
        assertThat(value(alice.post("/api/session/counter/reset"))).isZero();
        assertThat(value(alice.get("/api/session/counter"))).isZero();
        assertThat(value(bob.get("/api/session/counter"))).isEqualTo(-1);
        assertThat(alice.sessionId()).isNotEqualTo(bob.sessionId());
    }

    @Test
    void readsNeverCreateASession() {
        Http curl = tally.curl();
        for (String path : List.of("/api/session/counter", "/api/session/data/anything", "/", "/api/counters/global",
                "/api/request", "/api/health", "/api/cache/anything", "/no-such-page")) {
            HttpResponse<String> response = curl.get(path);
            assertThat(response.statusCode()).as(path).isLessThan(500);
            assertThat(response.headers().allValues("Set-Cookie")).as(path).isEmpty();
        }
        assertThat(value(curl.get("/api/session/counter"))).isZero();
        assertThat(curl.delete("/api/session/data/anything").headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void sessionCookieIsHttpOnlySameSiteAndPathScoped() {
        HttpResponse<String> response = tally.curl().post("/api/session/counter/inc");

        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("JSESSIONID=").contains("; Path=/tally").contains("; HttpOnly")
                .contains("; SameSite=Lax");
    }

    @Test
    void sessionIdInTheUrlIsNotAdopted() {
        Http owner = tally.browser();
        owner.post("/api/session/counter/inc");
        owner.post("/api/session/counter/inc");
        String id = owner.sessionId();
        Http stranger = tally.curl();

        assertThat(value(stranger.get("/api/session/counter;jsessionid=" + id))).isZero();
        HttpResponse<String> write = stranger.post("/api/session/counter/inc;jsessionid=" + id);
        assertThat(value(write)).isEqualTo(1);
        assertThat(write.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain(id);
        assertThat(value(owner.get("/api/session/counter"))).isEqualTo(2);
    }

    @Test
    void sessionIdTheServerDidNotIssueIsNotAdopted() {
        // Session fixation: an attacker makes a victim's browser send an id of the attacker's choosing.
        String chosen = "0123456789ABCDEF0123456789ABCDEF";
        Http victim = tally.curl();

        HttpResponse<String> write = victim.post("/api/session/counter/inc", "Cookie", "JSESSIONID=" + chosen);
        assertThat(value(write)).isEqualTo(1);
        String issued = write.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(issued).startsWith("JSESSIONID=").doesNotContain(chosen);
        assertThat(value(tally.curl().get("/api/session/counter", "Cookie", "JSESSIONID=" + chosen))).isZero();
    }

    @Test
    void unknownSessionActionsAndMethodsAreRefused() {
        Http curl = tally.curl();
        assertThat(curl.post("/api/session/counter/double").statusCode()).isEqualTo(404);
        HttpResponse<String> getInc = curl.get("/api/session/counter/inc");
        assertThat(getInc.statusCode()).isEqualTo(405);
        assertThat(getInc.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        HttpResponse<String> postRead = curl.post("/api/session/counter");
        assertThat(postRead.statusCode()).isEqualTo(405);
        assertThat(postRead.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(postRead.headers().allValues("Set-Cookie")).isEmpty();
    }
}
