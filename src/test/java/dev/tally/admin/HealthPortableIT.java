package dev.tally.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.TallyServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthPortableIT {

    @RegisterExtension
    static final TallyServer tally = new TallyServer();

    @Test
    void healthIsUpAndNamesTheStore() {
        HttpResponse<String> health = tally.curl().get("/api/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"store\":\"memory\"}\n");
        assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void livenessAndReadinessAreUpOnARunningApplication() {
        HttpResponse<String> live = tally.curl().get("/api/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}\n");
        HttpResponse<String> ready = tally.curl().get("/api/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"store\":\"memory\"}\n");
        assertThat(tally.curl().post("/api/health/ready").statusCode()).isEqualTo(405);
    }
}
