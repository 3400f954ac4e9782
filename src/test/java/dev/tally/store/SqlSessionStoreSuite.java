package dev.tally.store;

import dev.tally.store.jdbc.JdbcBackend;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The session store contract on a SQL database, in a schema (or database) that only the subclass uses, since the cap
 * tests forget every session in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlSessionStoreSuite extends SessionStoreContract {

    private JdbcBackend backend;
    private String url;

    /** The JDBC URL of the schema or database this suite may have to itself, creating it first if need be. */
    abstract String prepareUrl() throws Exception;

    @BeforeAll
    void open() throws Exception {
        url = prepareUrl();
        // 50 threads share 16 connections and one row lock: the timeout is for a loaded machine, not a test of it.
        backend = JdbcBackend.forUrl(url, Duration.ofSeconds(20), 16);
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    protected SessionStore createStore() {
        return backend.sessions();
    }

    @Override
    protected void forgetAllSessions() throws Exception {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM tally_session");
        }
    }

    /** Runs {@code sql} on {@code url}, e.g. to create the suite's schema. */
    static void execute(String url, String sql) throws Exception {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * A connection through the driver itself, not DriverManager. DriverManager looks for drivers once, with the class
     * loader of whoever uses it first: in this JVM that can be a web application a suite before this one deployed,
     * which deregistered its drivers when it stopped (JdbcBackend.deregisterDrivers), leaving DriverManager none.
     */
    private static Connection connect(String url) throws Exception {
        for (Driver driver : ServiceLoader.load(Driver.class)) {
            if (driver.acceptsURL(url)) {
                return driver.connect(url, new Properties());
            }
        }
        throw new IllegalStateException("No JDBC driver on the class path takes " + url);
    }
}
