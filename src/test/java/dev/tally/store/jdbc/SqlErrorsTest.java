package dev.tally.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which SQL failures mean "the database cannot or will not serve now" (a 503) and which are Tally's own bugs (a 500),
 * with the SQLSTATEs PostgreSQL and MariaDB send.
 */
class SqlErrorsTest {

    @Test
    void anUnreachableFullLockedOrReadOnlyDatabaseIsUnavailableNotBroken() {
        for (String state : new String[] {"08006", "08001", "08004", "28P01", "28000", "3D000", "25006", "40001",
                "40P01", "53100", "53200", "53300", "55P03", "57P01", "57P03", "57014", "58030", "HY000", "42501"}) {
            assertThat(JdbcBackend.refuses(new SQLException("refused", state))).as(state).isTrue();
        }
        assertThat(JdbcBackend.refuses(new SQLException("connection reset"))).as("no SQLSTATE").isTrue();
        assertThat(JdbcBackend.refuses(new SQLTimeoutException("timed out", "XX000"))).isTrue();
        assertThat(JdbcBackend.refuses(new SQLTransientConnectionException("pool timeout", "XX000"))).isTrue();
    }

    @Test
    void aStatementTheDatabaseCannotRunIsTallysOwnBug() {
        for (String state : new String[] {"42601", "42P01", "42703", "22003", "22P02", "23505", "23502", "0A000",
                "XX000"}) {
            assertThat(JdbcBackend.refuses(new SQLException("bug", state))).as(state).isFalse();
        }
    }
}
