package dev.tally.home;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import dev.tally.support.Http;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void pageShowsAllFourKindsOfStateAndLinksToTheApi() {
        Http browser = tally.browser();
        browser.post("/api/session/counter/inc");
        browser.putJson("/api/session/data/a", "1");
        browser.putJson("/api/session/data/b", "2");

        HttpResponse<String> first = browser.get("/", "X-Request-Id", "home-1");
        HttpResponse<String> second = browser.get("/", "X-Request-Id", "home-2");

        assertThat(first.body()).contains("Everyone's counter", "Your counter and data", "This request", "The cache")
                .contains("<output id=\"session\"", ">1</output>").contains("<span id=\"data-keys\">2</span>")
                .contains("<code id=\"request-id\">home-1</code>").contains("<a href=\"api.md\">");
        assertThat(second.body()).as("a request context of its own").contains("<code id=\"request-id\">home-2</code>");
        assertThat(cachedAt(second.body())).as("the cache answers the second time").isEqualTo(cachedAt(first.body()));
        assertThat(tally.curl().get("/api/cache/" + "home.firstDrawn").body()).as("in the shared cache, with a TTL")
                .isEqualTo("\"" + cachedAt(first.body()) + "\"\n");

        HttpResponse<String> api = browser.get("/api.md");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWithIgnoringCase("text/plain"));
        assertThat(api.body()).startsWith("# HTTP API").contains("## Error codes");
    }

    private static String cachedAt(String page) {
        Matcher time = Pattern.compile("<time id=\"cached-at\" datetime=\"([^\"]+)\"").matcher(page);
        assertThat(time.find()).as("the cache's time on the page").isTrue();
        return time.group(1);
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
