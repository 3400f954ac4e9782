/**
 * The store contract: {@link dev.tally.store.CounterStore} and {@link dev.tally.store.CacheStore}, what they promise
 * and the exceptions they throw; the in-memory store; the memory budget all in-JVM state is charged to; and the store's
 * statistics. It depends on none of its implementations ({@code redis}, {@code jdbc}) nor on the wiring that chooses
 * one ({@code wiring}).
 */
package dev.tally.store;
