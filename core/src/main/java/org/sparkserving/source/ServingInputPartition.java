package org.sparkserving.source;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * The requests with seq in {@code (fromSeq, toSeq]} of one server instance. Fixed at planning, so a
 * retried task reads the same requests again (minus those answered in the meantime).
 *
 * @param origin the server instance, {@code host:port/instanceId}
 * @param secret the instance's secret, for reading through its internal endpoint from another JVM
 * @param registry where the driver lists the service's live servers, asked when the server refuses
 *     connections (null: do not ask)
 * @param fromSeq exclusive lower bound
 * @param toSeq inclusive upper bound
 * @param locations Spark locations to prefer (the server's executor), possibly empty
 * @param includeErrorDetails whether clients of a failed task hear the failure's message
 */
record ServingInputPartition(
    String origin,
    String secret,
    String registry,
    long fromSeq,
    long toSeq,
    String[] locations,
    boolean includeErrorDetails)
    implements InputPartition {

  @Override
  public String[] preferredLocations() {
    return locations;
  }

  @Override
  public String toString() {
    return "ServingInputPartition[" + origin + " (" + fromSeq + ", " + toSeq + "]]";
  }
}
