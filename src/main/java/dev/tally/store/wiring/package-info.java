/**
 * Opens the store {@code tally.store} names, once for the application, and produces the beans the services use.
 * The only package that knows every store.
 */
package dev.tally.store.wiring;
