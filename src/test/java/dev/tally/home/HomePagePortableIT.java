package dev.tally.home;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The home page through the real WAR: it shows both counters, its forms work without JavaScript, and showing it
 * creates no session.
 */
class HomePagePortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();

    @Test
    void pageShowsBothCountersWithoutCreatingASession() {
        Http browser = tally.browser();
        long global = value(tally.curl().post("/api/counters/global"));

        HttpResponse<String> page = browser.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        // Tomcat writes charset=UTF-8, Jetty charset=utf-8: the same charset (RFC 9110 8.3.2).
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).isEqualToIgnoringCase("text/html;charset=UTF-8"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(page.body()).contains("<output id=\"global\"", ">" + global + "</output>")
                .contains("<output id=\"session\"", ">0</output>")
                .contains("<form method=\"post\" action=\"./\" data-api=\"api/counters/global\">");
    }

    @Test
    void formsPostAndRedirectBackWithoutJavaScript() {
        Http browser = tally.browser();
        long global = value(browser.get("/api/counters/global"));

        HttpResponse<String> count = form(browser, "count");
        assertThat(count.statusCode()).isEqualTo(303);
        assertThat(count.headers().firstValue("Location")).hasValue("/tally/");
        form(browser, "inc");
        form(browser, "inc");
        form(browser, "inc");
        form(browser, "dec");

        String page = browser.get("/").body();
        assertThat(page).contains(">" + (global + 1) + "</output>").contains("<output id=\"session\"")
                .contains(">2</output>");
        assertThat(value(browser.get("/api/session/counter"))).isEqualTo(2);
        form(browser, "reset");
        assertThat(value(browser.get("/api/session/counter"))).isZero();
        assertThat(form(browser, "explode").statusCode()).isEqualTo(400);
    }

    @Test
    void scriptAndStylesheetAreServed() {
        Http browser = tally.curl();
        assertThat(browser.get("/app.js").body()).contains("fetch(form.dataset.api");
        assertThat(browser.get("/style.css").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> form(Http browser, String action) {
        return browser.send("POST", "/", "action=" + action, "Content-Type", "application/x-www-form-urlencoded",
                "Origin", tally.origin());
    }
}
