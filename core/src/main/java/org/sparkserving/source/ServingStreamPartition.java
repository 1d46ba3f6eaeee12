package org.sparkserving.source;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * An unbounded slice of one server's requests for the continuous and real-time triggers: partition
 * {@code index} of {@code count} reads the seqs congruent to it, after {@code lastSeq}.
 */
record ServingStreamPartition(
    String origin,
    String secret,
    String registry,
    int index,
    int count,
    long lastSeq,
    String[] locations)
    implements InputPartition {

  @Override
  public String[] preferredLocations() {
    return locations;
  }

  @Override
  public String toString() {
    return "ServingStreamPartition[" + key() + " after " + lastSeq + "]";
  }

  String key() {
    return ServingPartitionOffset.key(origin, index, count);
  }

  RequestCursor cursor() {
    return new RequestCursor(origin, secret, registry, index, count, lastSeq);
  }
}
