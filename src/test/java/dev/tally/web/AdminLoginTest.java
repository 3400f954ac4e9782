package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdminLoginTest {

    private final AdminLogin login = new AdminLogin();

    private static String header(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fiveFailuresInARowLockAName() {
        for (int i = 1; i < AdminLogin.MAX_FAILURES; i++) {
            login.failed("tally-admin");
            assertThat(login.locked("tally-admin", System.nanoTime())).isFalse();
        }
        login.failed("tally-admin");
        assertThat(login.locked("tally-admin", System.nanoTime())).isTrue();
        assertThat(login.locked("someone-else", System.nanoTime())).isFalse();
    }

    @Test
    void failuresOfOtherNamesNeverFlushALockAndAFullTableRefusesNewNames() {
        for (int i = 0; i < AdminLogin.MAX_FAILURES; i++) {
            login.failed("tally-admin");
        }
        for (int name = 0; name < AdminLogin.MAX_USERS + 5_000; name++) {
            login.failed("flood-" + name);
        }
        assertThat(login.locked("tally-admin", System.nanoTime())).as("still locked").isTrue();
        assertThat(login.locked("newcomer", System.nanoTime())).as("no check while the table is full").isTrue();
        assertThat(login.locked("flood-1", System.nanoTime())).as("one failure locks nobody").isFalse();
    }

    @Test
    void aLockEndsWhenItsTimeIsUp() {
        for (int i = 0; i < AdminLogin.MAX_FAILURES; i++) {
            login.failed("tally-admin");
        }
        long later = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(AdminLogin.LOCK_SECONDS + 1);
        assertThat(login.locked("tally-admin", later)).isFalse();
    }

    @Test
    void onlyWellFormedBasicCredentialsAreRead() {
        assertThat(AdminLogin.basic(header("tally-admin:pa:ss"))).containsExactly("tally-admin", "pa:ss");
        assertThat(AdminLogin.basic("basic " + Base64.getEncoder().encodeToString("\u00e9:x".getBytes(
                StandardCharsets.UTF_8)))).containsExactly("\u00e9", "x");
        for (String bad : new String[] {null, "", "Bearer abc", "Basic", "Basic !!!", header("no-colon"),
                header(":empty-user"), header("u".repeat(AdminLogin.MAX_USER_CHARS + 1) + ":x"),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, ':'})}) {
            assertThat(AdminLogin.basic(bad)).as(String.valueOf(bad)).isNull();
        }
    }
}
