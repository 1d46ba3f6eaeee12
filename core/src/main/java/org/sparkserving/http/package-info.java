/**
 * The HTTP side of a service: a Netty server that admits requests, numbers them per service, holds
 * each waiting client until its reply, a timeout or an error answers it, and writes exactly one
 * response per request. Knows nothing about Spark.
 */
package org.sparkserving.http;
