package dev.tally.store;

import dev.tally.support.TestServers;

/** The session store contract on the machine's MariaDB, in a database of its own. */
class MariaDbSessionStoreIT extends SqlSessionStoreSuite {

    @Override
    String prepareUrl() throws Exception {
        String url = TestServers.mariadbUrl("MariaDbSessionStoreIT");
        execute(url, "CREATE DATABASE IF NOT EXISTS tally_session_contract");
        return url.replace("/test?", "/tally_session_contract?");
    }
}
