/**
 * The problems Tally answers with: one {@link dev.tally.problem.Problem} registry of codes, statuses and titles, and
 * the exceptions that carry them from any layer to the web layer, which writes them. Depends on nothing of Tally's.
 */
package dev.tally.problem;
