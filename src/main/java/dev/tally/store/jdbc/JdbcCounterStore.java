package dev.tally.store.jdbc;

import dev.tally.store.CounterAdmission;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.CounterStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Counters as rows of {@code tally_counter}. An increment is one auto-committed statement that updates the row under
 * its lock and answers the new value ({@link SqlDialect}): unique and gap-free for every committed increment, across
 * every JVM using the database.
 *
 * <p>The limit on distinct counters ({@link CounterAdmission}) is the number of rows. Counting them costs a scan, so
 * a JVM counts at most once a second: while the table has room for more than a margin (a tenth of the limit, at least
 * 1000 rows), a new name is created by its first increment with no check of its own. Nearer the limit, a new counter
 * is inserted at 0 by a statement that counts the rows first. Under PostgreSQL's READ COMMITTED, first increments of
 * new names at the same instant can each see room, so the table may pass the limit by one row per such request;
 * MariaDB's INSERT ... SELECT locks what it counted, and is exact. The limit can also be passed if more than the
 * margin is created, by all JVMs together, within one second.
 */
final class JdbcCounterStore implements CounterStore {

    /** How often a JVM counts the rows, at most, to know whether it is near the limit on counters. */
    private static final long COUNT_EVERY_NANOS = 1_000_000_000L;
    /** Room, at least, below which every new name is counted: a tenth of the limit, and never less than this. */
    private static final int FAR_MARGIN = 1000;
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
            private final AtomicLong countedAt = new AtomicLong(System.nanoTime() - 2 * COUNT_EVERY_NANOS);
            private volatile long counted = Long.MAX_VALUE;

            @Override
            public boolean holds(String name) {
                return farFromLimit() || find(name) != null;
            }

            /** Whether the table, counted at most a second ago, has room for more than a margin of new rows. */
            private boolean farFromLimit() {
                long last = countedAt.get();
                long now = System.nanoTime();
                if (now - last > COUNT_EVERY_NANOS && countedAt.compareAndSet(last, now)) {
                    counted = count();
                }
                return counted < (long) maxCounters - Math.max(maxCounters / 10, FAR_MARGIN);
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
