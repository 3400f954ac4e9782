/**
 * Per-user state in the {@code HttpSession}: the services {@link dev.tally.session.UserCounter} and
 * {@link dev.tally.session.UserData}, which change a session only under its lock
 * ({@link dev.tally.session.SessionLocks});
 * {@link dev.tally.session.Sessions}, the one place that gets or creates a session; the serialized values
 * ({@code SessionCount}, {@code SessionData}: their names and package are part of every persisted or replicated
 * session, so they never move); {@link dev.tally.session.SessionStats} with its listener; and the servlets at
 * {@code /api/session/*}.
 */
package dev.tally.session;
