package dev.tally.store.redis;

import dev.tally.config.InvalidSettingException;
import java.io.File;
import java.security.KeyStore;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * What a Redis store may be asked beyond its URL.
 *
 * @param replicas           {@code tally.store.replicas}: replicas that must hold a change before its value is given
 *                           to the client ({@code WAIT}); 0 answers as soon as the master has it
 * @param trustStore         {@code tally.store.tls.trustStore}: the certificates a {@code rediss} server's must chain
 *                           to, instead of the JVM's default ones; null for the JVM's
 * @param trustStorePassword its password, or null
 * @param keyStore           {@code tally.store.tls.keyStore}: Tally's own certificate and key, for a server that asks
 *                           for a client certificate ({@code tls-auth-clients}); null for none
 * @param keyStorePassword   its password (from {@code tally.store.tls.keyStorePasswordFile}), or null
 */
public record RedisOptions(int replicas, String trustStore, String trustStorePassword, String keyStore,
        String keyStorePassword) {

    /** No replicas waited for, the JVM's trust store, no client certificate. */
    public static final RedisOptions DEFAULTS = new RedisOptions(0, null, null, null, null);

    public RedisOptions {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas < 0");
        }
    }

    /** Whether a TLS connection needs more than the JVM's defaults. */
    boolean customTls() {
        return trustStore != null || keyStore != null;
    }

    /**
     * The TLS set-up of these options: certificates and host name verified ({@link SslVerifyMode#FULL}), against the
     * trust store given or the JVM's. The stores are read here, once, so that a missing or unreadable one is a setting
     * refused at start, never a request failed later; no password is ever in the message.
     */
    SslOptions sslOptions() {
        // The JVM's default store type (PKCS12, which also reads JKS); Jedis sets none of its own.
        SslOptions.Builder builder = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL)
                .keyStoreType(KeyStore.getDefaultType()).trustStoreType(KeyStore.getDefaultType());
        if (trustStore != null) {
            builder.truststore(readable("tally.store.tls.trustStore", trustStore), chars(trustStorePassword));
        }
        if (keyStore != null) {
            builder.keystore(readable("tally.store.tls.keyStore", keyStore), chars(keyStorePassword));
        }
        SslOptions options = builder.build();
        try {
            options.createSslContext();
        } catch (Exception e) {
            throw new InvalidSettingException("Invalid setting tally.store.tls: the trust store or key store cannot be "
                    + "loaded (" + e.getClass().getSimpleName() + "); check its path, type (PKCS12 or JKS) and "
                    + "password");
        }
        return options;
    }

    private static File readable(String setting, String path) {
        File file = new File(path);
        if (!file.canRead()) {
            throw new InvalidSettingException("Invalid setting " + setting + ": cannot read " + path);
        }
        return file;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    @Override
    public String toString() {
        // Never the passwords: a record's generated toString would print them.
        return "RedisOptions[replicas=" + replicas + ", trustStore=" + trustStore + ", keyStore=" + keyStore + "]";
    }
}
