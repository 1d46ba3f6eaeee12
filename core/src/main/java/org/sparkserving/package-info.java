/**
 * Spark Serving: the {@code serving} data source, which turns a Structured Streaming query into a
 * web service. See {@link org.sparkserving.ServingProvider} for the options and {@link
 * org.sparkserving.Serving} for a running service's addresses.
 */
package org.sparkserving;
