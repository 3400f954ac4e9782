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

    @Test
    void aVersionedWriteSucceedsOnlyOnTheVersionItRead() {
        Http tab = tally.browser();
        HttpResponse<String> created = tab.putJson("/api/session/data/doc", "{\"n\":1}", "If-None-Match", "*");
        assertThat(created.statusCode()).isEqualTo(204);
        String v1 = created.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> read = tab.get("/api/session/data/doc");
        assertThat(read.headers().firstValue("ETag")).hasValue(v1);
        assertThat(v1).matches("\"[A-Za-z0-9_-]{22}\"");

        assertProblem(tab.putJson("/api/session/data/doc", "{\"n\":9}", "If-None-Match", "*"), 412,
                "PRECONDITION_FAILED");
        HttpResponse<String> second = tab.putJson("/api/session/data/doc", "{\"n\":2}", "If-Match", v1);
        assertThat(second.statusCode()).isEqualTo(204);
        String v2 = second.headers().firstValue("ETag").orElseThrow();
        assertThat(v2).isNotEqualTo(v1);

        assertProblem(tab.putJson("/api/session/data/doc", "{\"n\":3}", "If-Match", v1), 412, "PRECONDITION_FAILED");
        assertProblem(tab.putJson("/api/session/data/doc", "{\"n\":3}", "If-Match", "W/" + v2), 412,
                "PRECONDITION_FAILED");
        assertProblem(tab.delete("/api/session/data/doc", "If-Match", v1), 412, "PRECONDITION_FAILED");
        assertThat(tab.get("/api/session/data/doc").body()).as("nothing changed by a refused write")
                .isEqualTo("{\"n\":2}\n");

        assertThat(tab.putJson("/api/session/data/doc", "{\"n\":3}", "If-Match", "\"other\", " + v2).statusCode())
                .isEqualTo(204);
        assertThat(tab.delete("/api/session/data/doc", "If-Match", "*").statusCode()).isEqualTo(204);
        assertProblem(tab.delete("/api/session/data/doc", "If-Match", "*"), 412, "PRECONDITION_FAILED");
        assertProblem(tab.putJson("/api/session/data/doc", "1", "If-Match", "*"), 412, "PRECONDITION_FAILED");

        HttpResponse<String> stranger = tally.browser().putJson("/api/session/data/doc", "1", "If-Match", v1);
        assertProblem(stranger, 412, "PRECONDITION_FAILED");
        assertThat(stranger.headers().allValues("Set-Cookie")).as("a write that cannot succeed makes no session")
                .isEmpty();
    }

    /**
     * Two tabs of one user each add 1 to a number inside one structured value, 25 times, at once: read it with its
     * ETag, write it back with If-Match, and on 412 read again and retry. No update is lost: the value ends at 50.
     */
    @Test
    void twoTabsEditingOneValueLoseNoUpdate() throws Exception {
        Http first = tally.browser();
        first.putJson("/api/session/data/shared", "{\"n\":0}");
        Http[] tabs = {first, first.at(tally.base())};
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        dev.tally.support.Concurrently.run(2, 25, (tab, i) -> {
            for (int attempt = 0; attempt < 1000; attempt++) {
                HttpResponse<String> read = tabs[tab].get("/api/session/data/shared");
                long n = Http.json(read).path("n").asLong();
                HttpResponse<String> written = tabs[tab].putJson("/api/session/data/shared", "{\"n\":" + (n + 1) + "}",
                        "If-Match", read.headers().firstValue("ETag").orElseThrow());
                if (written.statusCode() == 204) {
                    return null;
                }
                assertProblem(written, 412, "PRECONDITION_FAILED");
                refused.incrementAndGet();
            }
            throw new AssertionError("no write got through in 1000 attempts");
        });

        System.out.println("SessionDataPortableIT: 2 tabs x 25 versioned increments, " + refused
                + " writes refused with 412 and retried");
        assertThat(Http.json(first.get("/api/session/data/shared")).path("n").asLong()).isEqualTo(50);
    }
}
