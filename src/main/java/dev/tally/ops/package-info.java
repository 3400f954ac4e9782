/**
 * What an operator scrapes, probes and reads: the application's one Micrometer registry
 * ({@link dev.tally.ops.Metrics}), which every layer records into and {@code /metrics} shows in Prometheus's text
 * format; the requests in flight ({@link dev.tally.ops.InFlight}), which readiness and a stopping application wait
 * on; and the request a thread serves ({@link dev.tally.ops.CurrentRequest}), whose id starts Tally's log lines.
 * Depends on no other Tally package; every layer but config and problem may use it.
 */
package dev.tally.ops;
