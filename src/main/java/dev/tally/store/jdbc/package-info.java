/**
 * The SQL store: counters and cache in PostgreSQL, MariaDB or H2, one upsert per increment, over a pool of its own
 * (HikariCP) or the container's (JNDI); the schema scripts are in the resources of this package.
 */
package dev.tally.store.jdbc;
