package org.sparkserving.source;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * The requests with seq in {@code (fromSeq, toSeq]} of one server instance. Fixed at planning, so a
 * retried task reads the same requests again (minus those answered in the meantime).
 *
 * @param origin the server instance, {@code host:port/instanceId}
 * @param secret the instance's secret, for reading through its internal endpoint from another JVM
 * @param fromSeq exclusive lower bound
 * @param toSeq inclusive upper bound
 * @param locations Spark locations to prefer (the server's executor), possibly empty
 * @param includeErrorDetails whether clients of a failed task hear the failure's message
 */
record ServingInputPartition(
    String origin,
    String secret,
    long fromSeq,
    long toSeq,
    String[] locations,
    boolean includeErrorDetails)
    implements InputPartition {

  ServingInputPartition(
      String origin, String secret, long fromSeq, long toSeq, String[] locations) {
    this(origin, secret, fromSeq, toSeq, locations, false);
  }

  @Override
  public String[] preferredLocations() {
    return locations;
  }

  @Override
  public String toString() {
    return "ServingInputPartition[" + origin + " (" + fromSeq + ", " + toSeq + "]]";
  }
}
