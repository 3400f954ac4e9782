package dev.tally.store.jdbc;

import dev.tally.store.CounterAdmission;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.CounterStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * Counters as rows of {@code tally_counter}. An increment is one auto-committed statement that updates the row under
 * its lock and answers the new value ({@link SqlDialect}): unique and gap-free for every committed increment, across
 * every JVM using the database.
 *
 * <p>The limit on distinct counters ({@link CounterAdmission}) is the number of rows: a new counter is inserted at 0
 * by a statement that counts them first. Under PostgreSQL's READ COMMITTED, first increments of new names at the same
 * instant can each see room, so the table may pass the limit by at most one row per such request; MariaDB's
 * INSERT ... SELECT locks what it counted, and is exact.
 */
final class JdbcCounterStore implements CounterStore {

    /** First increments of a new counter that race on H2 fail with a unique violation, having applied nothing. */
    private static final int ATTEMPTS = 3;

    private final JdbcBackend db;
    private volatile CounterAdmission admission;

    JdbcCounterStore(JdbcBackend db, int maxCounters) {
        this.db = db;
        limit(maxCounters);
    }

    /** Sets the limit on distinct counters; every JVM using the database should set the same. */
    void limit(int maxCounters) {
        admission = new CounterAdmission(maxCounters, new CounterAdmission.Ledger() {
            @Override
            public boolean holds(String name) {
                return find(name) != null;
            }

            @Override
            public boolean admit(String name, int limit) {
                return insertWithin(name, limit) || holds(name);
            }
        });
    }

    @Override
    public long increment(String name) {
        return add(name, 1);
    }

    @Override
    public long add(String name, int count) {
        admission.require(name);
        return upsert("incrementing a counter", dialect -> dialect.incrementSql, name, count);
    }

    @Override
    public long get(String name) {
        Long value = find(name);
        return value == null ? 0 : value;
    }

    /** The counter's value, or null when the table has no row for it. */
    private Long find(String name) {
        try (Connection connection = db.connection();
                PreparedStatement statement = connection.prepareStatement(SqlDialect.GET_SQL)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw db.failure("reading a counter", e);
        }
    }

    /**
     * Inserts the counter at 0 if the table has fewer than {@code limit} rows; whether it did. A unique violation (it
     * was created meanwhile) or a deadlock between two such inserts (MariaDB) applied nothing; the caller then looks.
     */
    private boolean insertWithin(String name, int limit) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = db.connection();
                    PreparedStatement statement = connection.prepareStatement(SqlDialect.ADMIT_SQL)) {
                statement.setString(1, name);
                statement.setLong(2, limit);
                return statement.executeUpdate() == 1;
            } catch (SQLException e) {
                String state = String.valueOf(e.getSQLState());
                if (state.startsWith("23")) {
                    return false;
                }
                if (!state.startsWith("40") || attempt == ATTEMPTS) {
                    throw db.failure("creating a counter", e);
                }
            }
        }
    }

    @Override
    public long advanceTo(String name, long value) {
        admission.require(name);
        return upsert("raising a counter", dialect -> dialect.advanceSql, name, Math.max(0, value));
    }

    @Override
    public long count() {
        try (Connection connection = db.connection();
                PreparedStatement statement = connection.prepareStatement(SqlDialect.COUNT_SQL);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw db.failure("counting counters", e);
        }
    }

    @Override
    public void reset(String name) {
        try (Connection connection = db.connection();
                PreparedStatement statement = connection.prepareStatement(SqlDialect.RESET_SQL)) {
            statement.setString(1, name);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("resetting a counter", e);
        }
    }

    @Override
    public String kind() {
        return db.kind();
    }

    @Override
    public void ping() {
        try (Connection connection = db.connection()) {
            if (!connection.isValid(db.checkSeconds())) {
                throw db.failure("checking the connection", new SQLException("connection is not valid", "08000"));
            }
        } catch (SQLException e) {
            throw db.failure("checking the connection", e);
        }
    }

    /**
     * Runs one upsert that answers the counter's new value. Only a unique violation is tried again: it means two
     * first increments of a new counter raced (H2's MERGE) and nothing was applied.
     *
     * @param value the second parameter: what to add, or the value to raise to
     */
    private long upsert(String what, Function<SqlDialect, String> sql, String name, long value) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = db.connection();
                    PreparedStatement statement = connection.prepareStatement(sql.apply(db.dialect()))) {
                statement.setString(1, name);
                statement.setLong(2, value);
                return single(statement);
            } catch (SQLException e) {
                if (SqlDialect.SQLSTATE_OUT_OF_RANGE.equals(e.getSQLState())) {
                    throw new CounterExhaustedException(name);
                }
                if (!SqlDialect.SQLSTATE_UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt == ATTEMPTS) {
                    throw db.failure(what, e);
                }
            }
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("The statement answered no row", "02000");
            }
            return rows.getLong(1);
        }
    }
}
