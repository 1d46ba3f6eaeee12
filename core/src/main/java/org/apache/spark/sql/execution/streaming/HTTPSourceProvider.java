package org.apache.spark.sql.execution.streaming;

import org.sparkserving.ServingProvider;

/**
 * The original Spark Serving's class name, kept so that its examples run as written: {@code
 * format("org.apache.spark.sql.execution.streaming.HTTPSourceProvider")} is {@code
 * format("serving")}.
 */
public final class HTTPSourceProvider extends ServingProvider {}
