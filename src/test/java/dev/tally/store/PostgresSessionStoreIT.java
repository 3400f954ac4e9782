package dev.tally.store;

import dev.tally.support.TestServers;

/** The session store contract on the machine's PostgreSQL, in a schema of its own. */
class PostgresSessionStoreIT extends SqlSessionStoreSuite {

    @Override
    String prepareUrl() throws Exception {
        String url = TestServers.postgresUrl("PostgresSessionStoreIT");
        execute(url, "CREATE SCHEMA IF NOT EXISTS tally_session_contract");
        return url + "&currentSchema=tally_session_contract";
    }
}
