package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Session values written by an earlier build still load: the serialized forms below were written by Tally 0.1.0.
 * A change to a session class that breaks this test needs a new serialVersionUID and a migration note, because
 * every persisted or replicated session would be dropped on the next deployment.
 */
class SessionSerializationTest {

    /** {@code new SessionCount(42)}, serialized by 0.1.0. */
    private static final String COUNT_0_1_0 =
            "rO0ABXNyAB5kZXYudGFsbHkuc2Vzc2lvbi5TZXNzaW9uQ291bnQAAAAAAAAAAQIAAUoABXZhbHVleHAAAAAAAAAAKg==";

    /** Session data {@code cart = {"items":[1,2]}, n = 7}, serialized by 0.1.0. */
    private static final String DATA_0_1_0 = "rO0ABXNyAB1kZXYudGFsbHkuc2Vzc2lvbi5TZXNzaW9uRGF0YQAAAAAAAAABAgABTAAGdmFs"
            + "dWVzdAAZTGphdmEvdXRpbC9MaW5rZWRIYXNoTWFwO3hwc3IAF2phdmEudXRpbC5MaW5rZWRIYXNoTWFwNMBOXBBswPsCAAFaAAthY2Nl"
            + "c3NPcmRlcnhyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAN3CAAA"
            + "AAQAAAACdAAEY2FydHQAD3siaXRlbXMiOlsxLDJdfXQAAW50AAE3eAA=";

    @Test
    void countWrittenByAnEarlierBuildStillLoads() throws Exception {
        assertThat(read(COUNT_0_1_0)).isEqualTo(new SessionCount(42));
    }

    @Test
    void dataWrittenByAnEarlierBuildStillLoads() throws Exception {
        SessionData data = (SessionData) read(DATA_0_1_0);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.get("cart")).isEqualTo("{\"items\":[1,2]}");
        assertThat(data.get("n")).isEqualTo("7");
    }

    @Test
    void currentValuesRoundTrip() throws Exception {
        SessionData data = SessionData.EMPTY.with("a", "[1]").with("b", "{\"c\":null}").without("a");

        SessionData copy = (SessionData) read(write(data));

        assertThat(copy.size()).isEqualTo(1);
        assertThat(copy.get("b")).isEqualTo("{\"c\":null}");
        assertThat(read(write(new SessionCount(-3)))).isEqualTo(new SessionCount(-3));
    }

    private static String write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Object read(String base64) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder()
                .decode(base64)))) {
            return in.readObject();
        }
    }
}
