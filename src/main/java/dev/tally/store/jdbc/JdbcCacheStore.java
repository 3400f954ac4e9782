package dev.tally.store.jdbc;

import dev.tally.store.CacheStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cache values as rows of {@code tally_cache} with an expiry time in epoch milliseconds. A read never answers an
 * expired row; expired rows are deleted at most once a minute, by whichever write comes first, so the store needs
 * no thread of its own. Expiry follows each node's clock: keep the nodes' clocks in sync.
 */
final class JdbcCacheStore implements CacheStore {

    static final long PURGE_INTERVAL_MILLIS = 60_000;

    private final JdbcBackend db;
    private final AtomicLong lastPurge = new AtomicLong();

    JdbcCacheStore(JdbcBackend db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) {
        try (Connection connection = db.connection();
                PreparedStatement statement = connection.prepareStatement(SqlDialect.CACHE_GET_SQL)) {
            statement.setString(1, key);
            statement.setLong(2, System.currentTimeMillis());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw db.failure("reading the cache", e);
        }
    }

    @Override
    public void put(String key, String json, Duration ttl) {
        long now = System.currentTimeMillis();
        try (Connection connection = db.connection()) {
            try (PreparedStatement statement = connection.prepareStatement(db.dialect().cachePutSql)) {
                statement.setString(1, key);
                statement.setString(2, json);
                statement.setLong(3, now + ttl.toMillis());
                statement.executeUpdate();
            }
            long last = lastPurge.get();
            if (now - last >= PURGE_INTERVAL_MILLIS && lastPurge.compareAndSet(last, now)) {
                purgeExpired(connection, now);
            }
        } catch (SQLException e) {
            throw db.failure("writing the cache", e);
        }
    }

    @Override
    public void delete(String key) {
        try (Connection connection = db.connection();
                PreparedStatement statement = connection.prepareStatement(SqlDialect.CACHE_DELETE_SQL)) {
            statement.setString(1, key);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("deleting from the cache", e);
        }
    }

    /** Deletes every expired row; answers how many. */
    int purgeExpired(Connection connection, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SqlDialect.CACHE_PURGE_SQL)) {
            statement.setLong(1, now);
            return statement.executeUpdate();
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
