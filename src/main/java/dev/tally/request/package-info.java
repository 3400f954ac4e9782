/**
 * The request context, like Flask's {@code g}: {@link dev.tally.request.RequestContext}, a request-scoped bean made
 * for one request when something in it first uses it, and destroyed at its end; the filter that gives every request
 * its id; the servlet at {@code /api/request}; and {@link dev.tally.request.RequestStats}, the count of contexts opened
 * and released.
 */
package dev.tally.request;
