/**
 * The Redis store: one {@code INCR} per increment, cache values with {@code SET ... EX}, over a Jedis pool, with
 * every refusal of Redis's classified as unavailability.
 */
package dev.tally.store.redis;
