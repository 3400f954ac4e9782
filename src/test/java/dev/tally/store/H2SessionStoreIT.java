package dev.tally.store;

/** The session store contract on H2, in memory, in this JVM. */
class H2SessionStoreIT extends SqlSessionStoreSuite {

    @Override
    String prepareUrl() {
        return "jdbc:h2:mem:session-contract;DB_CLOSE_DELAY=-1";
    }
}
