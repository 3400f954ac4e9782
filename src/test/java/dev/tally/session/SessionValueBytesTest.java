package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** What session values charge the memory budget: kept up to date on every change, and the same once read back. */
class SessionValueBytesTest {

    @Test
    void dataChargesEachKeyAndValueAtTheirHeapSize() {
        SessionData data = SessionData.EMPTY.with("a", "\"" + "x".repeat(100) + "\"");
        assertThat(data.bytes()).isEqualTo(SessionValue.SESSION_BYTES + SessionData.ENTRY_BYTES + 1 + 102);
        SessionData wide = data.with("b", "\"\u4e2d\"");
        assertThat(wide.bytes() - data.bytes()).isEqualTo(SessionData.ENTRY_BYTES + 1 + 2 * 3);
        assertThat(wide.with("a", "1").bytes()).isEqualTo(wide.bytes() - 101);
        assertThat(wide.without("b").bytes()).isEqualTo(data.bytes());
        assertThat(wide.without("missing").bytes()).isEqualTo(wide.bytes());
    }

    @Test
    void aValueReadBackFromASavedSessionChargesWhatItDidBefore() throws Exception {
        SessionData data = SessionData.EMPTY.with("a", "[1,2,3]").with("b", "\"\u00e9\u4e2d\"").without("a");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(data);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(((SessionData) in.readObject()).bytes()).isEqualTo(data.bytes());
        }
        assertThat(new SessionCount(5).bytes()).isGreaterThan(SessionValue.SESSION_BYTES);
    }
}
