/**
 * Internal: keeping a service up when its query fails. The public face is {@code
 * Serving.supervise}; here live the marker that tells a query's streams they run under a supervisor
 * ({@link org.sparkserving.supervise.Supervision}) and the servers of failed queries that wait for
 * the restarted query to adopt them ({@link org.sparkserving.supervise.LingeringEndpoints}).
 */
package org.sparkserving.supervise;
