/**
 * What every servlet shares: JSON in and out, problem answers ({@link dev.tally.web.Problems}), the request body
 * filter, the cross-origin filter, security headers, request ids, the error page, the admin login, and the base
 * servlet with its method rules ({@link dev.tally.web.ApiServlet}).
 */
package dev.tally.web;
