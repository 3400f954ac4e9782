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
}
