/**
 * The request context, like Flask's {@code g}: {@link dev.tally.request.RequestContext}, a request-scoped bean made
 * for one request and destroyed at its end; the filter that begins it with the request's id; its servlet at
 * {@code /api/request}; and {@link dev.tally.request.RequestStats}, the count of contexts opened and released.
 */
package dev.tally.request;
