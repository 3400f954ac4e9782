package dev.tally.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark compares Tally's PostgreSQL counter with pgbench running "the very increment statement Tally uses":
 * bench/pgbench-increment.sql must stay that statement when SqlDialect changes.
 */
class PgbenchStatementTest {

    @Test
    void pgbenchRunsTheStatementOfThePostgresStore() throws Exception {
        String script = Files.readAllLines(Path.of("bench/pgbench-increment.sql")).stream()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\"))
                .reduce("", (a, b) -> a + " " + b);

        assertThat(normalized(script.replace(":name", "?").replace(":delta", "?")))
                .isEqualTo(normalized(SqlDialect.POSTGRESQL.incrementSql));
    }

    private static String normalized(String sql) {
        return sql.replaceAll("\\s+", " ").strip().replaceAll(";$", "");
    }
}
