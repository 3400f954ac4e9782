package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies(8);

    private String canonical(String json) {
        return bodies.parse(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void assertInvalid(byte[] body) {
        assertThatThrownBy(() -> bodies.parse(body)).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.problem().status()).isEqualTo(400);
            assertThat(problem.problem().code()).isEqualTo("INVALID_JSON");
        });
    }

    @Test
    void numbersKeepTypeAndPrecision() {
        assertThat(canonical(
                "[1, 1.0, 1.10, 0.1, -2.5e-3, 1E+400, 123456789012345678901234567890, 9223372036854775807]"))
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
    void numbersWhoseExponentDoesNotFitAreRefusedNotFailed() {
        for (String bad : new String[] {"0e99999999999", "1e2147483648", "1.5E-2147483649", "-1E+2147483648",
                "[{\"a\":[1e2147483648]}]", "{\"value\":0e99999999999}"}) {
            assertInvalid(bad.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(canonical("[1e999999999, -1.5E-999999999]")).isEqualTo("[1E+999999999,-1.5E-999999999]");
    }

    @Test
    void bodiesInOtherEncodingsAreRefused() {
        for (String charset : new String[] {"UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32", "UTF-32BE", "UTF-32LE"}) {
            for (String json : new String[] {"\"a\"", "{\"a\":1}", "[1,2]"}) {
                assertInvalid(json.getBytes(java.nio.charset.Charset.forName(charset)));
            }
        }
        assertInvalid(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'});
    }

    @Test
    void cesu8SurrogatesAndOverlongFormsAreRefused() {
        assertInvalid(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'});
        assertInvalid(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80,
            '"'});
        assertInvalid(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'});
        assertInvalid(new byte[] {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'});
        assertInvalid(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'});
    }

    @Test
    void escapedHalfSurrogatesAreRefusedAndWholePairsKept() {
        for (String bad : new String[] {"\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "{\"\\udfff\":1}",
                "[[\"\\ud83d\\u0041\"]]"}) {
            assertInvalid(bad.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(canonical("\"\\ud83d\\ude00 \u00e9\u4e2d\"")).isEqualTo("\"\ud83d\ude00 \u00e9\u4e2d\"");
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
                        assertThat(problem.problem().status()).isEqualTo(415);
                        assertThat(problem.problem().code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
                    });
        }
    }
}
