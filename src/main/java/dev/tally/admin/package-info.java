/**
 * The admin console: the health check for load balancers, the startup check, and the MBeans (store, cache, sessions,
 * memory budget, one per counter) for JMX and Tomcat Manager. Top of the layers: it observes the services and stores
 * (CDI events, reads) and nothing depends on it.
 */
package dev.tally.admin;
