package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped server.xml with its RemoteIpValve uncommented, as its comment tells an operator behind a proxy that ends
 * TLS to do: a request the proxy (127.0.0.1) marks {@code X-Forwarded-Proto: https} gets a {@code Secure} session
 * cookie; a plain one does not. (The valve believes the header only from {@code internalProxies}; that a client
 * elsewhere cannot claim https is Tomcat's to keep and is not tested here: every test client is on 127.0.0.1.)
 */
class BehindTlsProxyIT {

    private static String withRemoteIpValve(String serverXml) {
        String enabled = serverXml.replaceAll(
                "<!--\\s*(<Valve className=\"org.apache.catalina.valves.RemoteIpValve\"[^>]*/>)\\s*-->", "$1");
        assertThat(enabled).as("the shipped server.xml has the valve, commented out").isNotEqualTo(serverXml);
        return enabled;
    }

    /** Two session-creating POSTs through the "proxy": one marked https, one plain; their Set-Cookie headers. */
    private static List<List<String>> cookiesViaProxy(Map<String, String> settings) throws Exception {
        int port = TestServers.freePort();
        try (StandaloneTomcat tomcat = StandaloneTomcat.withShippedConf(port, settings, true, "384m",
                BehindTlsProxyIT::withRemoteIpValve)) {
            String viaProxy = "http://127.0.0.1:" + port + "/tally";
            HttpResponse<String> https = Http.withoutCookies(viaProxy).post("/api/session/counter/inc",
                    "X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.5");
            HttpResponse<String> plain = Http.withoutCookies(viaProxy).post("/api/session/counter/inc");
            assertThat(https.statusCode()).isEqualTo(200);
            return List.of(https.headers().allValues("Set-Cookie"), plain.headers().allValues("Set-Cookie"));
        }
    }

    @Test
    void theSessionCookieIsSecureWhenTheProxySaysHttps() throws Exception {
        List<List<String>> cookies = cookiesViaProxy(Map.of());

        assertThat(cookies.get(0)).singleElement().asString()
                .startsWith("JSESSIONID=").contains("Secure").contains("HttpOnly");
        assertThat(cookies.get(1)).singleElement().asString().startsWith("JSESSIONID=").doesNotContain("Secure");
    }

    @Test
    void theStoreHeldSessionsCookieIsSecureWhenTheProxySaysHttpsToo() throws Exception {
        List<List<String>> cookies = cookiesViaProxy(Map.of("tally.store", TestServers.redisUrl("BehindTlsProxyIT"),
                "tally.session.store", "store"));

        assertThat(cookies.get(0)).singleElement().asString()
                .startsWith("TALLYSESSION=").endsWith("; HttpOnly; SameSite=Lax; Secure");
        assertThat(cookies.get(1)).singleElement().asString().startsWith("TALLYSESSION=").doesNotContain("Secure");
    }
}
