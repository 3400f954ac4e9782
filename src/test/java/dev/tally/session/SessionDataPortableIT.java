package dev.tally.session;

import static dev.tally.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-user structured data in HttpSession, through the real WAR: any JSON value, bounded per session.
 */
class SessionDataPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();

    @Test
    void structuredValueRoundTripsExactlyAndStaysWithItsSession() {
        Http alice = tally.browser();
        String cart = "{\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":19.90}],\"note\":\"gift \u00e9\","
                + "\"big\":123456789012345678901234567890,\"ok\":true,\"none\":null}";

        assertThat(alice.putJson("/api/session/data/cart", cart).statusCode()).isEqualTo(204);
        HttpResponse<String> read = alice.get("/api/session/data/cart");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(read.body()).isEqualTo(cart + "\n");
        assertProblem(tally.browser().get("/api/session/data/cart"), 404, "NOT_FOUND");
    }

    @Test
    void scalarsKeepTheirTypes() {
        Http browser = tally.browser();
        for (String scalar : new String[] {"42", "-7", "1.10", "\"text\"", "true", "null", "1E+400"}) {
            browser.putJson("/api/session/data/scalar", scalar);
            assertThat(browser.get("/api/session/data/scalar").body()).isEqualTo(scalar + "\n");
        }
    }

    @Test
    void deleteRemovesAndMissingIsNotFound() {
        Http browser = tally.browser();
        browser.putJson("/api/session/data/a", "1");
        browser.putJson("/api/session/data/b", "2");

        assertThat(browser.delete("/api/session/data/a").statusCode()).isEqualTo(204);
        assertThat(browser.delete("/api/session/data/a").statusCode()).isEqualTo(204);

        assertProblem(browser.get("/api/session/data/a"), 404, "NOT_FOUND");
        assertThat(browser.get("/api/session/data/b").body()).isEqualTo("2\n");
    }

    @Test
    void aSessionHoldsAtMostOneHundredKeys() {
        Http browser = tally.browser();
        for (int i = 0; i < 100; i++) {
            assertThat(browser.putJson("/api/session/data/k" + i, String.valueOf(i)).statusCode()).isEqualTo(204);
        }

        assertProblem(browser.putJson("/api/session/data/one-too-many", "1"), 409, "TOO_MANY_KEYS");
        assertThat(browser.putJson("/api/session/data/k7", "\"replaced\"").statusCode()).isEqualTo(204);
        browser.delete("/api/session/data/k0");
        assertThat(browser.putJson("/api/session/data/one-more", "1").statusCode()).isEqualTo(204);
        assertThat(browser.get("/api/session/data/k7").body()).isEqualTo("\"replaced\"\n");
    }

    @Test
    void aValueIsAtMostSixteenKibibytes() {
        Http browser = tally.browser();
        String fits = "\"" + "x".repeat(16 * 1024 - 2) + "\"";
        String tooLarge = "\"" + "x".repeat(16 * 1024 - 1) + "\"";

        assertThat(browser.putJson("/api/session/data/fits", fits).statusCode()).isEqualTo(204);
        assertProblem(browser.putJson("/api/session/data/big", tooLarge), 413, "TOO_LARGE");
        assertProblem(browser.get("/api/session/data/big"), 404, "NOT_FOUND");
    }

    @Test
    void badInputIsRefused() {
        Http browser = tally.browser();
        assertProblem(browser.putJson("/api/session/data/bad%20key", "1"), 400, "INVALID_KEY");
        assertProblem(browser.get("/api/session/data/" + "k".repeat(201)), 400, "INVALID_KEY");
        assertProblem(browser.putJson("/api/session/data/k", "{\"a\":"), 400, "INVALID_JSON");
        assertProblem(browser.send("PUT", "/api/session/data/k", "1", "Content-Type", "text/plain"), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertThat(browser.sessionId()).isNull();
    }
}
