/**
 * The HTML page for browsers (the four kinds of state, with buttons for the counters) and the static files; the page
 * only reads through the services and posts to them.
 */
package dev.tally.home;
