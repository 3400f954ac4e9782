/**
 * Global counters: {@link dev.tally.counter.Counters}, the application-scoped service that holds no count itself
 * (every count is in the store, where an increment is one atomic step), and its servlet at {@code /api/counters/*}.
 * It tells whoever listens that a counter was used with the CDI event {@link dev.tally.counter.CounterUsed}.
 */
package dev.tally.counter;
