package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies(8);

    private String canonical(String json) {
        return bodies.parse(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void assertInvalid(byte[] body) {
        assertThatThrownBy(() -> bodies.parse(body)).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.code()).isEqualTo("INVALID_JSON");
        });
    }

    @Test
    void numbersKeepTypeAndPrecision() {
        assertThat(canonical("[1, 1.0, 1.10, 0.1, -2.5e-3, 1E+400, 123456789012345678901234567890, 9223372036854775807]"))
                .isEqualTo("[1,1.0,1.10,0.1,-0.0025,1E+400,123456789012345678901234567890,9223372036854775807]");
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndDeeperIsRefused() {
        assertThat(canonical("[".repeat(8) + "]".repeat(8))).isEqualTo("[".repeat(8) + "]".repeat(8));
        assertInvalid(("[".repeat(9) + "]".repeat(9)).getBytes(StandardCharsets.UTF_8));
        assertInvalid("{\"a\":".repeat(9).concat("1").concat("}".repeat(9)).getBytes(StandardCharsets.UTF_8));
        assertInvalid("[".repeat(1_000_000).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anythingButOneJsonValueIsRefused() {
        for (String bad : new String[] {"", " ", "{", "[1,]", "{\"a\":1,\"a\":2}", "1 2", "'x'", "NaN", "01",
                "{\"a\" 1}", "\"\\x\""}) {
            assertInvalid(bad.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void invalidUtf8IsRefused() {
        assertInvalid(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'});
        assertInvalid(new byte[] {'"', (byte) 0xFF, '"'});
    }

    @Test
    void onlyJsonMediaTypesInUtf8AreAccepted() {
        JsonBodies.requireJson("application/json");
        JsonBodies.requireJson("Application/JSON; charset=UTF-8");
        JsonBodies.requireJson("application/merge-patch+json");
        for (String type : new String[] {null, "", "text/plain", "application/x-www-form-urlencoded",
                "application/json; charset=latin1", "text/json", "application/jsonx", ";;;", ";", " ; charset=utf-8"}) {
            assertThatThrownBy(() -> JsonBodies.requireJson(type)).as(String.valueOf(type))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> {
                        assertThat(problem.status()).isEqualTo(415);
                        assertThat(problem.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
                    });
        }
    }
}
