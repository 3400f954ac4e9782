package dev.tally.store;

import dev.tally.store.jdbc.JdbcBackend;
import dev.tally.support.TestServers;
import java.time.Duration;

/**
 * The store contracts on the SQL store with the machine's MariaDB.
 */
class MariaDbStoresIT extends StoreContractSuite {

    @Override
    StoreBackend open() throws Exception {
        return JdbcBackend.forUrl(TestServers.mariadbUrl("MariaDbStoresIT"), Duration.ofSeconds(2), 16);
    }
}
