package dev.tally.store.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The SQL of each database Tally supports. Every increment is one statement that updates the row and answers the
 * new value, atomic under the row lock, so committed increments are unique and leave no gap.
 */
enum SqlDialect {

    POSTGRESQL("postgresql", "org.postgresql.Driver", """
            INSERT INTO tally_counter (name, counter_value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET counter_value = tally_counter.counter_value + EXCLUDED.counter_value
            RETURNING counter_value
            """, """
            INSERT INTO tally_counter (name, counter_value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE
                SET counter_value = GREATEST(tally_counter.counter_value, EXCLUDED.counter_value)
            RETURNING counter_value
            """, """
            INSERT INTO tally_cache (cache_key, json, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (cache_key) DO UPDATE SET json = EXCLUDED.json, expires_at = EXCLUDED.expires_at
            """),

    MARIADB("mariadb", "org.mariadb.jdbc.Driver", """
            INSERT INTO tally_counter (name, counter_value) VALUES (?, ?)
            ON DUPLICATE KEY UPDATE counter_value = counter_value + VALUES(counter_value)
            RETURNING counter_value
            """, """
            INSERT INTO tally_counter (name, counter_value) VALUES (?, ?)
            ON DUPLICATE KEY UPDATE counter_value = GREATEST(counter_value, VALUES(counter_value))
            RETURNING counter_value
            """, """
            INSERT INTO tally_cache (cache_key, json, expires_at) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE json = VALUES(json), expires_at = VALUES(expires_at)
            """),

    H2("h2", "org.h2.Driver", """
            SELECT counter_value FROM FINAL TABLE (
              MERGE INTO tally_counter t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) s(name, delta)
              ON t.name = s.name
              WHEN MATCHED THEN UPDATE SET counter_value = t.counter_value + s.delta
              WHEN NOT MATCHED THEN INSERT (name, counter_value) VALUES (s.name, s.delta))
            """, """
            SELECT counter_value FROM FINAL TABLE (
              MERGE INTO tally_counter t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) s(name, wanted)
              ON t.name = s.name
              WHEN MATCHED THEN UPDATE SET counter_value = GREATEST(t.counter_value, s.wanted)
              WHEN NOT MATCHED THEN INSERT (name, counter_value) VALUES (s.name, s.wanted))
            """, """
            MERGE INTO tally_cache (cache_key, json, expires_at) KEY (cache_key) VALUES (?, ?, ?)
            """);

    static final String GET_SQL = "SELECT counter_value FROM tally_counter WHERE name = ?";
    static final String COUNT_SQL = "SELECT COUNT(*) FROM tally_counter";
    /** Set to 0, not deleted: the counter keeps its place among the limited names. */
    static final String RESET_SQL = "UPDATE tally_counter SET counter_value = 0 WHERE name = ?";
    /** A new counter at 0 while the table holds fewer rows than the second parameter; nothing otherwise. */
    static final String ADMIT_SQL = """
            INSERT INTO tally_counter (name, counter_value)
            SELECT ?, 0 FROM (SELECT COUNT(*) AS n FROM tally_counter) counted WHERE counted.n < ?
            """;
    static final String CACHE_GET_SQL = "SELECT json FROM tally_cache WHERE cache_key = ? AND expires_at > ?";
    static final String CACHE_DELETE_SQL = "DELETE FROM tally_cache WHERE cache_key = ?";
    static final String CACHE_PURGE_SQL = "DELETE FROM tally_cache WHERE expires_at <= ?";

    /** Numeric value out of range: the counter is at 2^63-1. */
    static final String SQLSTATE_OUT_OF_RANGE = "22003";
    /** Unique violation: two first increments of a new counter raced (H2's MERGE); nothing was applied. */
    static final String SQLSTATE_UNIQUE_VIOLATION = "23505";

    private final String kind;
    /** Given to the pool, which then instantiates the driver itself instead of looking it up in DriverManager. */
    final String driverClassName;
    final String incrementSql;
    final String advanceSql;
    final String cachePutSql;

    SqlDialect(String kind, String driverClassName, String incrementSql, String advanceSql, String cachePutSql) {
        this.kind = kind;
        this.driverClassName = driverClassName;
        this.incrementSql = incrementSql;
        this.advanceSql = advanceSql;
        this.cachePutSql = cachePutSql;
    }

    String kind() {
        return kind;
    }

    /** The schema file, on the class path beside this class. */
    String schemaResource() {
        return "schema-" + kind + ".sql";
    }

    /** The dialect of a JDBC URL, such as {@code jdbc:postgresql://...}. */
    static Optional<SqlDialect> ofUrl(String url) {
        for (SqlDialect dialect : values()) {
            if (url.startsWith("jdbc:" + dialect.kind + ":")) {
                return Optional.of(dialect);
            }
        }
        return Optional.empty();
    }

    /** The dialect of a database, from its JDBC metadata product name. */
    static Optional<SqlDialect> ofProduct(String productName) {
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return Optional.of(POSTGRESQL);
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return Optional.of(MARIADB);
        }
        if (product.contains("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }
}
