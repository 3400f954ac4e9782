package dev.tally.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.StoreUnavailableException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** How {@link JdbcBackend} treats its connections, over a scripted DataSource: none is ever kept by a failure. */
class JdbcBackendTest {

    /** A DataSource whose connections do what the test says, and that counts what it lent and got back. */
    private static final class ScriptedDataSource {
        final AtomicInteger lent = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<Integer> validChecks = new ArrayList<>();
        SQLException onNetworkTimeout;

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getConnection" -> {
                            lent.incrementAndGet();
                            yield connection();
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Connection connection() {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createStatement" -> statement();
                        case "setNetworkTimeout" -> {
                            if (onNetworkTimeout != null) {
                                throw onNetworkTimeout;
                            }
                            yield null;
                        }
                        case "isValid" -> {
                            validChecks.add((Integer) args[0]);
                            yield true;
                        }
                        case "close" -> {
                            closed.incrementAndGet();
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Statement statement() {
            return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "execute" -> false;
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void aConnectionWhoseTimeoutCannotBeSetIsGivenBack() {
        ScriptedDataSource db = new ScriptedDataSource();
        db.onNetworkTimeout = new SQLException("connection reset", "08006");
        JdbcBackend backend = JdbcBackend.over(db.dataSource(), SqlDialect.POSTGRESQL, Duration.ofMillis(2000));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(backend::connection).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("setting the statement's timeout");
        }
        assertThat(db.closed).as("connections given back, of %s lent", db.lent).hasValue(db.lent.get());
    }

    @Test
    void theConnectionCheckTakesTheStoreTimeout() {
        ScriptedDataSource db = new ScriptedDataSource();
        new JdbcCounterStore(JdbcBackend.over(db.dataSource(), SqlDialect.POSTGRESQL, Duration.ofMillis(4500)), 10)
                .ping();
        new JdbcCounterStore(JdbcBackend.over(db.dataSource(), SqlDialect.POSTGRESQL, Duration.ofMillis(300)), 10)
                .ping();

        assertThat(db.validChecks).as("seconds given to isValid, rounded up").containsExactly(5, 1);
        assertThat(db.closed).hasValue(db.lent.get());
    }
}
