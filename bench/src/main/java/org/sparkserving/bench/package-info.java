/**
 * The Spark Serving benchmark: load generators, an HTTP client written for measurement, and the
 * contenders they measure, starting with a bare Netty server that marks what the machine can do.
 */
package org.sparkserving.bench;
