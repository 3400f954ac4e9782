package dev.tally.store.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.InvalidSettingException;
import dev.tally.config.Settings;
import dev.tally.config.TallyConfig;
import dev.tally.store.redis.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorePasswordFileTest {

    private static TallyConfig with(String file) {
        return TallyConfig.from(new Settings(Map.of("tally.store.passwordFile", file)::get, name -> null, Map.of()));
    }

    @Test
    void thePasswordIsTheFilesFirstLineWithoutItsEnd() throws Exception {
        Path file = Files.createTempFile("password", "");
        try {
            Files.writeString(file, "s3cret:with spaces \r\nsecond line\n");
            assertThat(StoreProducer.password(with(file.toString()))).isEqualTo("s3cret:with spaces ");
            Files.writeString(file, "no-line-end");
            assertThat(StoreProducer.password(with(file.toString()))).isEqualTo("no-line-end");
        } finally {
            Files.delete(file);
        }
        assertThat(StoreProducer.password(TallyConfig.from(new Settings(name -> null, name -> null, Map.of()))))
                .isNull();
    }

    /** The official database images' convention: {@code TALLY_STORE_PASSWORD_FILE} names the file. */
    @Test
    void theFileMayBeNamedByTheEnvironment() throws Exception {
        Path file = Files.createTempFile("password", "");
        try {
            Files.writeString(file, "from-the-environment\n");
            TallyConfig config = TallyConfig.from(new Settings(name -> null, name -> null,
                    Map.of("TALLY_STORE_PASSWORD_FILE", file.toString())));
            assertThat(StoreProducer.password(config)).isEqualTo("from-the-environment");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aFileThatCannotBeReadFailsTheDeploymentNamingTheSetting() {
        assertThatThrownBy(() -> StoreProducer.password(with("/nonexistent/tally-password")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("tally.store.passwordFile")
                .hasMessageContaining("/nonexistent/tally-password");
    }

    @Test
    void theKeyStorePasswordComesFromItsFileAndTheReplicasFromTheirSetting() throws Exception {
        Path file = Files.createTempFile("keystore-password", "");
        try {
            Files.writeString(file, "k3y\n");
            TallyConfig config = TallyConfig.from(new Settings(Map.of("tally.store", "rediss://h:6380",
                    "tally.store.replicas", "1", "tally.store.tls.keyStore", "/etc/tally/client.p12",
                    "tally.store.tls.keyStorePasswordFile", file.toString())::get, name -> null, Map.of()));
            RedisOptions options = StoreProducer.redisOptions(config);
            assertThat(options.keyStorePassword()).isEqualTo("k3y");
            assertThat(options.keyStore()).isEqualTo("/etc/tally/client.p12");
            assertThat(options.replicas()).isEqualTo(1);
        } finally {
            Files.delete(file);
        }
    }
}
