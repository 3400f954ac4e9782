package dev.tally.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.tally.config.InvalidSettingException;
import dev.tally.store.CacheStore;
import dev.tally.store.CounterStore;
import dev.tally.store.SessionStore;
import dev.tally.store.StoreBackend;
import dev.tally.store.StoreUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Counters and cache in a SQL database: PostgreSQL, MariaDB or H2, through HikariCP for a JDBC URL or the
 * container's pool for a JNDI name. The schema is created when absent, at startup or, if the database is down then,
 * on first use. Socket timeouts bound every statement, so a silent database cannot pin request threads.
 */
public final class JdbcBackend implements StoreBackend {

    private static final Logger LOG = Logger.getLogger(JdbcBackend.class.getName());
    private static final String PGJDBC_CLEANER_TTL = "pgjdbc.config.cleanup.thread.ttl";
    /** A statement always gets at least this long, however long its request waited for a connection. */
    private static final int MIN_STATEMENT_MILLIS = 250;
    private static final int CONTAINER_POOL_CHECK_SECONDS = 2;

    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final JdbcCounterStore counters;
    private final JdbcCacheStore cache;
    private final JdbcSessionStore sessions;
    /** What one operation may take in all, or 0 when the container's pool sets the timeouts. */
    private final long timeoutNanos;
    private volatile SqlDialect dialect;
    private volatile boolean schemaReady;

    private JdbcBackend(DataSource dataSource, HikariDataSource ownPool, SqlDialect dialect, Duration timeout) {
        this.dataSource = dataSource;
        this.timeoutNanos = timeout == null ? 0 : timeout.toNanos();
        this.ownPool = ownPool;
        this.dialect = dialect;
        this.counters = new JdbcCounterStore(this, DEFAULT_MAX_COUNTERS);
        this.cache = new JdbcCacheStore(this);
        this.sessions = new JdbcSessionStore(this);
    }

    /** HikariCP's pool figures ({@code hikaricp_connections_*}, pool {@code tally}) when the pool is Tally's own. */
    @Override
    public void bindMetrics(MeterRegistry registry) {
        if (ownPool != null) {
            ownPool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /**
     * A pool of its own for {@code jdbc:postgresql:}, {@code jdbc:mariadb:} or {@code jdbc:h2:} URLs.
     *
     * @param timeout  what one operation may take in all: waiting for a connection (at most half), then the statement
     * @param poolSize connections at most
     */
    public static JdbcBackend forUrl(String url, Duration timeout, int poolSize) {
        return forUrl(url, timeout, poolSize, null);
    }

    /**
     * As {@link #forUrl(String, Duration, int)}, with the database user's password given apart from the URL (read
     * from {@code tally.store.passwordFile}); it wins over one in the URL. Null for none.
     */
    public static JdbcBackend forUrl(String url, Duration timeout, int poolSize, String password) {
        SqlDialect dialect = SqlDialect.ofUrl(url).orElseThrow(() -> new InvalidSettingException(
                "Invalid setting tally.store: a JDBC URL must start with jdbc:postgresql:, jdbc:mariadb: or jdbc:h2:"));
        HikariConfig config = new HikariConfig();
        config.setPoolName("tally");
        config.setJdbcUrl(url);
        config.setDriverClassName(dialect.driverClassName);
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        // A request waits for a free connection at most half the timeout (at least HikariCP's minimum, 250 ms);
        // its statement then gets what is left (connection()). Connections are opened by the pool's own thread.
        config.setConnectionTimeout(Math.max(250, timeout.toMillis() / 2));
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        config.setRegisterMbeans(false);
        // Driver properties must be strings: the driver reads them with Properties.getProperty.
        String seconds = String.valueOf(Math.max(1, (timeout.toMillis() + 999) / 1000));
        String millis = String.valueOf(timeout.toMillis());
        switch (dialect) {
            case POSTGRESQL -> {
                // pgjdbc's cleaner thread outlives the last connection by this many ms (30 s by default), and
                // with it this web application's class loader after an undeploy. Read once, when the driver
                // that the WAR ships loads; an operator's own value is kept.
                if (System.getProperty(PGJDBC_CLEANER_TTL) == null) {
                    System.setProperty(PGJDBC_CLEANER_TTL, "1000");
                }
                config.addDataSourceProperty("connectTimeout", seconds);
                config.addDataSourceProperty("socketTimeout", seconds);
                config.addDataSourceProperty("loginTimeout", seconds);
            }
            case MARIADB -> {
                config.addDataSourceProperty("connectTimeout", millis);
                config.addDataSourceProperty("socketTimeout", millis);
            }
            case H2 -> {
                // In-process: no network to time out.
            }
        }
        HikariDataSource pool = new HikariDataSource(config);
        JdbcBackend backend = new JdbcBackend(pool, pool, dialect, timeout);
        backend.createSchemaIfReachable();
        LOG.info(() -> "SQL store on " + dialect.kind() + ", timeout " + timeout.toMillis() + " ms, up to " + poolSize
                + " connections");
        return backend;
    }

    /** Over any DataSource, for tests: {@code timeout} null means the DataSource's own timeouts. */
    static JdbcBackend over(DataSource dataSource, SqlDialect dialect, Duration timeout) {
        return new JdbcBackend(dataSource, null, dialect, timeout);
    }

    /** The container's pool, for a JNDI name such as {@code java:comp/env/jdbc/tally}; its timeouts are its own. */
    public static JdbcBackend forJndi(String name) {
        DataSource dataSource;
        try {
            dataSource = (DataSource) new InitialContext().lookup(name);
        } catch (NamingException | ClassCastException e) {
            throw new InvalidSettingException("Invalid setting tally.store: no DataSource bound at " + name);
        }
        JdbcBackend backend = new JdbcBackend(dataSource, null, null, null);
        backend.createSchemaIfReachable();
        LOG.info(() -> "SQL store on the container's DataSource " + name);
        return backend;
    }

    @Override
    public JdbcBackend limitCounters(int maxCounters) {
        counters.limit(maxCounters);
        return this;
    }

    @Override
    public CounterStore counters() {
        return counters;
    }

    @Override
    public CacheStore cache() {
        return cache;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    /** What the store is, for health and logs: the database kind, once known. */
    String kind() {
        SqlDialect known = dialect;
        return known == null ? "sql" : known.kind();
    }

    /**
     * A connection to a database whose schema exists, for one operation.
     *
     * @throws StoreUnavailableException when the database cannot be reached in time
     */
    Connection connection() {
        long deadline = System.nanoTime() + timeoutNanos;
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("getting a connection", e);
        }
        // From here on the connection is ours to give back, whatever fails: a pool lends a fixed number.
        String step = "creating the schema";
        try {
            if (!schemaReady) {
                ensureSchema(connection);
            }
            if (timeoutNanos > 0 && dialect != SqlDialect.H2) {
                // The statement gets what is left of the operation's timeout (the pool resets it on return).
                step = "setting the statement's timeout";
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                connection.setNetworkTimeout(Runnable::run, (int) Math.max(MIN_STATEMENT_MILLIS, left));
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e instanceof SQLException sql ? failure(step, sql) : (RuntimeException) e;
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Seconds a connection check may take: {@code tally.store.timeout}, rounded up, for a pool of Tally's own; for the
     * container's pool, whose timeouts are its own, {@value #CONTAINER_POOL_CHECK_SECONDS}.
     */
    int checkSeconds() {
        return timeoutNanos > 0 ? (int) Math.max(1, (TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 999) / 1000)
                : CONTAINER_POOL_CHECK_SECONDS;
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** The database's dialect, asking the database if it is not known yet (a container's pool). */
    SqlDialect dialectNow() {
        SqlDialect known = dialect;
        if (known == null) {
            try (Connection connection = connection()) {
                known = dialect;
            } catch (SQLException e) {
                throw failure("getting a connection", e);
            }
        }
        return known;
    }

    /**
     * What a failed statement becomes: {@link StoreUnavailableException} (a 503, health DOWN) when the database could
     * not be reached or refused to serve (see {@link #refuses}), else an error of Tally's own (a 500, logged).
     */
    RuntimeException failure(String what, SQLException e) {
        String message = kind() + " store: " + what + " failed (SQLState " + e.getSQLState() + "): " + e.getMessage();
        return refuses(e) ? new StoreUnavailableException(message, e) : new IllegalStateException(message, e);
    }

    /**
     * Whether the database failed to serve a statement because of its state or its operator's settings, not because
     * of what Tally sent, by SQLSTATE class: 08 connection, 28 authorization (a rotated password), 3D no such database,
     * 25 read-only transaction (a replica), 40 rollback (serialization, deadlock), 53 insufficient resources (disk,
     * memory, too many connections), 55 object not in prerequisite state (lock not available), 57 operator
     * intervention (shutdown, cancelled by timeout), 58 system error, HY general errors (MariaDB reports a read-only
     * server and several resource limits so), and 42501 insufficient privilege. A driver's transient, recoverable or
     * timeout exception, or one without a SQLSTATE (a broken connection), is unavailability too. Anything else
     * (syntax, data, integrity) is Tally's own bug.
     */
    static boolean refuses(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException || e.getSQLState() == null
                || e.getSQLState().length() < 2) {
            return true;
        }
        String state = e.getSQLState();
        return REFUSING_CLASSES.contains(state.substring(0, 2)) || state.equals("42501");
    }

    private static final Set<String> REFUSING_CLASSES = Set.of("08", "28", "3D", "25", "40", "53", "55", "57", "58",
            "HY");

    private void createSchemaIfReachable() {
        try (Connection connection = dataSource.getConnection()) {
            ensureSchema(connection);
        } catch (SQLException e) {
            LOG.warning(() -> "The " + kind() + " store is not reachable yet (SQLState " + e.getSQLState()
                    + "); its schema will be checked on first use");
        }
    }

    private synchronized void ensureSchema(Connection connection) throws SQLException {
        if (schemaReady) {
            return;
        }
        SqlDialect known = dialect;
        if (known == null) {
            String product = connection.getMetaData().getDatabaseProductName();
            known = SqlDialect.ofProduct(product).orElseThrow(() -> new InvalidSettingException(
                    "Invalid setting tally.store: the DataSource is " + product
                            + "; Tally supports PostgreSQL, MariaDB and H2"));
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : schemaStatements(known)) {
                statement.execute(sql);
            }
        }
        dialect = known;
        schemaReady = true;
    }

    private static String[] schemaStatements(SqlDialect dialect) {
        try (InputStream in = JdbcBackend.class.getResourceAsStream(dialect.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("Missing " + dialect.schemaResource());
            }
            return SqlScript.statements(new String(in.readAllBytes(), StandardCharsets.UTF_8)).toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + dialect.schemaResource(), e);
        }
    }

    /** Closes the pool this store opened (a container's pool is the container's to close). */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    /**
     * Deregisters the JDBC drivers this web application's class loader registered (the WAR ships them), so that
     * DriverManager does not keep the class loader alive after the application stops. Called when the application
     * stops, whichever store it used: drivers register themselves whenever anything loads them.
     */
    public static void deregisterDrivers() {
        ClassLoader ours = JdbcBackend.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == ours) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.log(Level.WARNING, "Could not deregister " + driver.getClass().getName(), e);
                }
            }
        }
    }
}
