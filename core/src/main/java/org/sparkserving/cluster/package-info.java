/**
 * Distributed mode's machinery: which executors are alive, starting the service's server inside
 * each of them with a small pinned Spark job, and the plan those servers are started from.
 */
package org.sparkserving.cluster;
