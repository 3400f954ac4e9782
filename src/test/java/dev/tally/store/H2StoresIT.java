package dev.tally.store;

import dev.tally.store.jdbc.JdbcBackend;
import java.time.Duration;

/**
 * The store contracts on the SQL store with H2, in memory, in this JVM.
 */
class H2StoresIT extends StoreContractSuite {

    @Override
    StoreBackend open() throws Exception {
        return JdbcBackend.forUrl("jdbc:h2:mem:contract;DB_CLOSE_DELAY=10", Duration.ofSeconds(2), 16);
    }
}
