package dev.tally.session;

import dev.tally.support.TestServers;

/** Sessions in PostgreSQL, shared by three stock Tomcat JVMs. */
class PostgresSessionsMultiProcessIT extends SessionsInStoreAcrossNodes {

    @Override
    String store() {
        return TestServers.postgresUrl(getClass().getSimpleName());
    }

    @Override
    String storeName() {
        return "PostgreSQL";
    }
}
