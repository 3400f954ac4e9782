package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.InvalidSettingException;
import dev.tally.store.StoreUnavailableException;
import dev.tally.support.StoreProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rediss://} beyond the JVM's default trust store, against a Redis of the test's own that takes only TLS and
 * asks for a client certificate: a certificate authority, the server's certificate (for 127.0.0.1 only) and Tally's
 * client certificate are made here with openssl, the trust store and key store with keytool and openssl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsIT {

    private static final String KEY_STORE_PASSWORD = "k3y-st0re-pw";
    private static final String TRUST_STORE_PASSWORD = "tru5t-pw";

    private Path certificates;
    private StoreProcess redis;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(onPath("openssl") && onPath("keytool"), "no openssl or keytool on this machine");
        certificates = Files.createTempDirectory("tally-tls");
        makeCertificates(certificates);
        Optional<StoreProcess> server = StoreProcess.redisTls(certificates, true);
        Assumptions.assumeTrue(server.isPresent(), "no redis-server binary on this machine");
        redis = server.get().start();
        System.out.println("RedisTlsIT: a Redis of its own taking only TLS with client certificates, at 127.0.0.1:"
                + redis.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (certificates != null) {
            run("rm", "-rf", certificates.toString());
        }
    }

    private RedisOptions options(String keyStore, String keyStorePassword) {
        return new RedisOptions(0, certificates.resolve("trust.p12").toString(), TRUST_STORE_PASSWORD, keyStore,
                keyStorePassword);
    }

    private RedisBackend open(String host, RedisOptions options) {
        return RedisBackend.open("rediss://" + host + ":" + redis.port(), Duration.ofSeconds(2), 4, null, options);
    }

    @Test
    void withTheTrustStoreAndAClientCertificateCountersAndCacheWork() {
        try (RedisBackend backend = open("127.0.0.1", options(certificates.resolve("client.p12").toString(),
                KEY_STORE_PASSWORD))) {
            assertThat(backend.counters().increment("tls")).isPositive();
            backend.cache().put("tls", "{\"over\":\"tls\"}", Duration.ofMinutes(1));
            assertThat(backend.cache().get("tls")).contains("{\"over\":\"tls\"}");
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefusesAndTheRequestIsA503() {
        try (RedisBackend backend = open("127.0.0.1", options(null, null))) {
            assertThatThrownBy(() -> backend.counters().increment("tls"))
                    .isInstanceOf(StoreUnavailableException.class); // "Broken pipe" or a reset, as TLS 1.3 goes
        }
    }

    @Test
    void withTheJvmsTrustStoreTheServersCertificateIsNotTrusted() {
        try (RedisBackend backend = open("127.0.0.1", new RedisOptions(0, null, null,
                certificates.resolve("client.p12").toString(), KEY_STORE_PASSWORD))) {
            assertThatThrownBy(() -> backend.counters().increment("tls"))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("PKIX path building failed");
        }
    }

    @Test
    void aServerReachedByANameItsCertificateDoesNotHoldIsRefused() {
        // The certificate is for the address 127.0.0.1 only: "localhost" reaches the same server but is not its name.
        try (RedisBackend backend = open("localhost", options(certificates.resolve("client.p12").toString(),
                KEY_STORE_PASSWORD))) {
            assertThatThrownBy(() -> backend.counters().increment("tls"))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("No name matching localhost");
        }
    }

    @Test
    void aKeyStoreThatCannotBeOpenedIsASettingRefusedAtStartWithoutItsPassword() {
        assertThatThrownBy(() -> open("127.0.0.1", options(certificates.resolve("client.p12").toString(),
                "wrong-password-xyz"))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("tally.store.tls").hasMessageNotContaining("wrong-password-xyz")
                .hasMessageNotContaining(TRUST_STORE_PASSWORD);
        assertThatThrownBy(() -> open("127.0.0.1", options("/nonexistent/client.p12", KEY_STORE_PASSWORD)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("tally.store.tls.keyStore");
    }

    private static void makeCertificates(Path dir) throws Exception {
        String d = dir.toString();
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Tally test CA",
                "-keyout", d + "/ca.key", "-out", d + "/ca.crt");
        for (String name : List.of("server", "client")) {
            run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=tally-" + name,
                    "-keyout", d + "/" + name + ".key", "-out", d + "/" + name + ".csr");
            Files.writeString(dir.resolve(name + ".ext"), name.equals("server")
                    ? "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                    : "extendedKeyUsage=clientAuth\n");
            run("openssl", "x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.crt", "-CAkey",
                    d + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", d + "/" + name + ".ext",
                    "-out", d + "/" + name + ".crt");
        }
        run("keytool", "-importcert", "-noprompt", "-alias", "tally-ca", "-file", d + "/ca.crt", "-keystore",
                d + "/trust.p12", "-storetype", "PKCS12", "-storepass", TRUST_STORE_PASSWORD);
        run("openssl", "pkcs12", "-export", "-in", d + "/client.crt", "-inkey", d + "/client.key", "-out",
                d + "/client.p12", "-passout", "pass:" + KEY_STORE_PASSWORD);
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
