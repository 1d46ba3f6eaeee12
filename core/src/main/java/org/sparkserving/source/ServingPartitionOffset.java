package org.sparkserving.source;

import org.apache.spark.sql.connector.read.streaming.PartitionOffset;

/**
 * Where a continuous or real-time partition stands: the last seq it passed.
 *
 * @param key the partition's key in the merged offset, {@code origin#index/count}
 * @param seq the last seq passed
 */
record ServingPartitionOffset(String key, long seq) implements PartitionOffset {

  static String key(String origin, int index, int count) {
    return origin + "#" + index + "/" + count;
  }
}
