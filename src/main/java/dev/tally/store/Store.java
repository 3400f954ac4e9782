package dev.tally.store;

/**
 * What every store has in common: a name for health reports and a way to ask whether it answers.
 */
public interface Store {

    /**
     * The kind of store, as health reports and logs name it: {@code memory}, {@code redis}, {@code postgresql}...
     * Never contains credentials.
     */
    String kind();

    /**
     * Checks that the store answers, within the store's own timeout.
     *
     * @throws StoreUnavailableException when it does not
     */
    void ping();
}
