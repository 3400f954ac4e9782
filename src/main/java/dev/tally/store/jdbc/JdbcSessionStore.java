package dev.tally.store.jdbc;

import dev.tally.store.CounterExhaustedException;
import dev.tally.store.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sessions as rows: {@code tally_session} (one per session, named by the hash of its id; alive while
 * {@code expires_at} is in the future) and {@code tally_session_data} (one per data key, deleted with its session).
 * A counter change is one {@code UPDATE} under the row's lock that answers the new value; a data write is one
 * transaction that first locks its session's row, so writes of one session queue there and a compare-and-set on a
 * key's version, and the count of keys, are exact. Creations all lock one row of {@code tally_session_creation}, so
 * counting the live sessions and adding one is atomic across every node. Every statement that reads or writes a
 * session requires it alive: an expired row is never revived. Times are this node's clock (as for the cache): keep
 * node clocks in sync.
 */
final class JdbcSessionStore implements SessionStore {

    private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int PURGE_BATCH = 1000;

    private final JdbcBackend db;
    private volatile long purgedAt = System.nanoTime() - PURGE_EVERY_NANOS;

    JdbcSessionStore(JdbcBackend db) {
        this.db = db;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction, committed if it returns, rolled back if it throws. */
    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection connection = db.connection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw db.failure(what, e);
        }
    }

    /** Runs {@code work} on one connection, each statement committed on its own. */
    private <T> T once(String what, Work<T> work) {
        try (Connection connection = db.connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw db.failure(what, e);
        }
    }

    @Override
    public Outcome create(String id, long timeoutMillis, long maxSessions) {
        purgeIfDue();
        return inTransaction("creating a session", connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT id FROM tally_session_creation WHERE id = 1 FOR UPDATE")) {
                lock.executeQuery().close();
            }
            long now = System.currentTimeMillis();
            if (countLive(connection, now) >= maxSessions) {
                return Outcome.FULL;
            }
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM tally_session WHERE id_hash = ?")) {
                exists.setString(1, id);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return Outcome.TAKEN;
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO tally_session (id_hash, created_at, expires_at, fresh, counter, data_keys) "
                            + "VALUES (?, ?, ?, TRUE, 0, 0)")) {
                insert.setString(1, id);
                insert.setLong(2, now);
                insert.setLong(3, now + timeoutMillis);
                insert.executeUpdate();
            }
            return Outcome.OK;
        });
    }

    private static long countLive(Connection connection, long now) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM tally_session WHERE expires_at > ?")) {
            count.setLong(1, now);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Override
    public Optional<Found> resume(String id, Touch touch) {
        return once("resuming a session", connection -> {
            long now = System.currentTimeMillis();
            long createdAt;
            long expiresAt;
            boolean fresh;
            long counter;
            int keys;
            try (PreparedStatement read = connection.prepareStatement("SELECT created_at, expires_at, fresh, counter, "
                    + "data_keys FROM tally_session WHERE id_hash = ? AND expires_at > ?")) {
                read.setString(1, id);
                read.setLong(2, now);
                try (ResultSet rows = read.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    createdAt = rows.getLong(1);
                    expiresAt = rows.getLong(2);
                    fresh = rows.getBoolean(3);
                    counter = rows.getLong(4);
                    keys = rows.getInt(5);
                }
            }
            long left = expiresAt - now;
            if (touch != null && (fresh || left < touch.timeoutMillis() - touch.touchMillis())) {
                long timeoutMillis = touch.timeoutMillis();
                // Never revives an expired row, never shortens a longer timeout set meanwhile.
                try (PreparedStatement extend = connection.prepareStatement("UPDATE tally_session SET fresh = FALSE, "
                        + "expires_at = ? WHERE id_hash = ? AND expires_at > ? AND expires_at < ?")) {
                    extend.setLong(1, now + timeoutMillis);
                    extend.setString(2, id);
                    extend.setLong(3, now);
                    extend.setLong(4, now + timeoutMillis);
                    if (extend.executeUpdate() == 1) {
                        left = timeoutMillis;
                    }
                }
            }
            return Optional.of(new Found(createdAt, counter, keys, left));
        });
    }

    @Override
    public Optional<Long> add(String id, long delta, Touch touch) {
        try {
            return switch (db.dialectNow()) {
                case POSTGRESQL -> once("changing a session's counter", connection -> single(connection,
                        "UPDATE tally_session SET counter = counter + ?, " + TOUCHED + " WHERE id_hash = ? "
                                + "AND expires_at > ? RETURNING counter", id, delta, touch));
                case H2 -> once("changing a session's counter", connection -> single(connection,
                        "SELECT counter FROM FINAL TABLE (UPDATE tally_session SET counter = counter + ?, " + TOUCHED
                                + " WHERE id_hash = ? AND expires_at > ?)", id, delta, touch));
                // MariaDB has no UPDATE ... RETURNING: the same UPDATE, then a read while its row lock is held.
                case MARIADB -> inTransaction("changing a session's counter", connection -> {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE tally_session SET "
                            + "counter = counter + ?, " + TOUCHED + " WHERE id_hash = ? AND expires_at > ?")) {
                        update.setLong(1, delta);
                        int next = touched(update, 2, touch);
                        update.setString(next, id);
                        update.setLong(next + 1, System.currentTimeMillis());
                        if (update.executeUpdate() == 0) {
                            return Optional.<Long>empty();
                        }
                    }
                    try (PreparedStatement read = connection.prepareStatement(
                            "SELECT counter FROM tally_session WHERE id_hash = ?")) {
                        read.setString(1, id);
                        try (ResultSet rows = read.executeQuery()) {
                            rows.next();
                            return Optional.of(rows.getLong(1));
                        }
                    }
                });
            };
        } catch (IllegalStateException e) {
            // Numeric value out of range: the counter is at an end of the range of a long, and stays there.
            if (e.getCause() instanceof SQLException sql
                    && SqlDialect.SQLSTATE_OUT_OF_RANGE.equals(sql.getSQLState())) {
                throw new CounterExhaustedException("session", delta > 0);
            }
            throw e;
        }
    }

    private static Optional<Long> single(Connection connection, String sql, String id, long delta, Touch touch)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, delta);
            int next = touched(statement, 2, touch);
            statement.setString(next, id);
            statement.setLong(next + 1, System.currentTimeMillis());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    @Override
    public boolean resetCounter(String id, Touch touch) {
        return once("resetting a session's counter", connection -> {
            try (PreparedStatement reset = connection.prepareStatement(
                    "UPDATE tally_session SET counter = 0, " + TOUCHED + " WHERE id_hash = ? AND expires_at > ?")) {
                int next = touched(reset, 1, touch);
                reset.setString(next, id);
                reset.setLong(next + 1, System.currentTimeMillis());
                return reset.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Versioned> get(String id, String key) {
        return once("reading session data", connection -> {
            try (PreparedStatement read = connection.prepareStatement("SELECT d.json, d.version FROM "
                    + "tally_session_data d JOIN tally_session s ON s.id_hash = d.id_hash "
                    + "WHERE d.id_hash = ? AND d.data_key = ? AND s.expires_at > ?")) {
                read.setString(1, id);
                read.setString(2, key);
                read.setLong(3, System.currentTimeMillis());
                try (ResultSet rows = read.executeQuery()) {
                    return rows.next() ? Optional.of(new Versioned(rows.getString(1), rows.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Outcome put(String id, String key, String expected, String json, String version, int maxKeys,
            Touch touch) {
        return inTransaction("writing session data", connection -> {
            Integer keys = lockSession(connection, id);
            if (keys == null) {
                return Outcome.GONE;
            }
            String current = currentVersion(connection, id, key);
            if (expected != null && !expected.equals(current == null ? "" : current)) {
                return Outcome.CONFLICT;
            }
            if (current == null) {
                if (keys >= maxKeys) {
                    return Outcome.TOO_MANY_KEYS;
                }
                execute(connection, "INSERT INTO tally_session_data (id_hash, data_key, json, version) "
                        + "VALUES (?, ?, ?, ?)", id, key, json, version);
                changeKeys(connection, id, 1, touch);
            } else {
                execute(connection, "UPDATE tally_session_data SET json = ?, version = ? WHERE id_hash = ? "
                        + "AND data_key = ?", json, version, id, key);
                changeKeys(connection, id, 0, touch);
            }
            return Outcome.OK;
        });
    }

    @Override
    public Outcome remove(String id, String key, String expected, Touch touch) {
        return inTransaction("removing session data", connection -> {
            if (lockSession(connection, id) == null) {
                return Outcome.GONE;
            }
            String current = currentVersion(connection, id, key);
            if (expected != null && !expected.equals(current == null ? "" : current)) {
                return Outcome.CONFLICT;
            }
            if (current != null) {
                execute(connection, "DELETE FROM tally_session_data WHERE id_hash = ? AND data_key = ?", id, key);
                changeKeys(connection, id, -1, touch);
            } else {
                changeKeys(connection, id, 0, touch);
            }
            return Outcome.OK;
        });
    }

    /** Runs one statement whose parameters are all text. */
    private static void execute(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Locks a live session's row for the transaction; its number of data keys, or null if it is gone. */
    private static Integer lockSession(Connection connection, String id) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT data_keys FROM tally_session WHERE id_hash = ? AND expires_at > ? FOR UPDATE")) {
            lock.setString(1, id);
            lock.setLong(2, System.currentTimeMillis());
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next() ? rows.getInt(1) : null;
            }
        }
    }

    private static String currentVersion(Connection connection, String id, String key) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT version FROM tally_session_data WHERE id_hash = ? AND data_key = ? FOR UPDATE")) {
            read.setString(1, id);
            read.setString(2, key);
            try (ResultSet rows = read.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Changes the session's count of keys by {@code change} and extends it as {@code touch} says. */
    private static void changeKeys(Connection connection, String id, int change, Touch touch) throws SQLException {
        if (change == 0 && touch == null) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE tally_session SET data_keys = data_keys + ?, " + TOUCHED + " WHERE id_hash = ?")) {
            update.setInt(1, change);
            update.setString(touched(update, 2, touch), id);
            update.executeUpdate();
        }
    }

    /**
     * The columns a write sets to extend its session: promoted from new, and its expiry moved to the touch's timeout
     * from now, never earlier. A write is an UPDATE of the row anyway, so this costs nothing more. Two parameters.
     */
    private static final String TOUCHED = "fresh = (fresh AND ?), expires_at = GREATEST(expires_at, ?)";

    /** Sets {@link #TOUCHED}'s two parameters from {@code index}; answers the index after them. */
    private static int touched(PreparedStatement statement, int index, Touch touch) throws SQLException {
        statement.setBoolean(index, touch == null);
        statement.setLong(index + 1, touch == null ? 0 : System.currentTimeMillis() + touch.timeoutMillis());
        return index + 2;
    }

    @Override
    public void delete(String id) {
        once("deleting a session", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM tally_session WHERE id_hash = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public long live() {
        return once("counting sessions", connection -> countLive(connection, System.currentTimeMillis()));
    }

    /**
     * Deletes one batch of expired sessions (their data goes with them), at most once a minute per node: rows that
     * no query reads any more, kept from piling up. A failure is left for the next time.
     */
    private void purgeIfDue() {
        long started = System.nanoTime();
        if (started - purgedAt < PURGE_EVERY_NANOS) {
            return;
        }
        purgedAt = started;
        String sql = db.dialectNow() == SqlDialect.MARIADB
                ? "DELETE FROM tally_session WHERE expires_at <= ? LIMIT " + PURGE_BATCH
                : "DELETE FROM tally_session WHERE id_hash IN (SELECT id_hash FROM tally_session WHERE expires_at <= ? "
                        + "LIMIT " + PURGE_BATCH + ")";
        try {
            once("purging expired sessions", connection -> {
                try (PreparedStatement purge = connection.prepareStatement(sql)) {
                    purge.setLong(1, System.currentTimeMillis());
                    return purge.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            purgedAt = started - PURGE_EVERY_NANOS / 2;
        }
    }

    @Override
    public String kind() {
        return db.kind();
    }

    @Override
    public void ping() {
        db.counters().ping();
    }
}
