package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrossOriginTest {

    private static final String HOST = "tally.example:8080";

    @Test
    void safeMethodsAlwaysPass() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertThat(CrossOrigin.refused(method, "cross-site", "https://evil.example", HOST)).isFalse();
        }
    }

    @Test
    void secFetchSiteDecidesWhenPresent() {
        assertThat(CrossOrigin.refused("POST", "same-origin", null, HOST)).isFalse();
        assertThat(CrossOrigin.refused("POST", "none", null, HOST)).isFalse();
        assertThat(CrossOrigin.refused("POST", "same-site", "http://" + HOST, HOST)).isTrue();
        assertThat(CrossOrigin.refused("POST", "cross-site", "http://" + HOST, HOST)).isTrue();
        assertThat(CrossOrigin.refused("DELETE", "whatever", null, HOST)).isTrue();
    }

    @Test
    void originMustMatchTheHostWithoutSecFetchSite() {
        assertThat(CrossOrigin.refused("POST", null, "http://" + HOST, HOST)).isFalse();
        assertThat(CrossOrigin.refused("PUT", null, "https://TALLY.example:8080", HOST)).isFalse();
        assertThat(CrossOrigin.refused("POST", null, "http://tally.example", HOST)).isTrue();
        assertThat(CrossOrigin.refused("POST", null, "http://tally.example:8080.evil.example", HOST)).isTrue();
        assertThat(CrossOrigin.refused("POST", null, "null", HOST)).isTrue();
        assertThat(CrossOrigin.refused("POST", null, "not a uri", HOST)).isTrue();
        assertThat(CrossOrigin.refused("POST", null, "http://" + HOST, null)).isTrue();
    }

    @Test
    void clientsThatSendNeitherPass() {
        assertThat(CrossOrigin.refused("POST", null, null, HOST)).isFalse();
        assertThat(CrossOrigin.refused("DELETE", null, null, null)).isFalse();
    }
}
