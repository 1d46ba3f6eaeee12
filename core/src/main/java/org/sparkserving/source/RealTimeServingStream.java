package org.sparkserving.source;

import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.sql.connector.read.streaming.SupportsRealTimeMode;
import org.sparkserving.api.ServingConfig;

/**
 * The micro-batch stream, able also to run under Spark's real-time trigger (Spark 4.1+): long
 * batches whose tasks read requests as they arrive. Only created, by reflection, where Spark has
 * real-time mode (see {@link RealTimeSupport}), so the jar still loads on Spark 3.5 and 4.0.
 */
final class RealTimeServingStream extends ServingMicroBatchStream implements SupportsRealTimeMode {

  private final ServingConfig config;
  private volatile int realTimePartitions;

  RealTimeServingStream(ServingConfig config, ServiceServers servers, int numPartitions) {
    super(config, servers, numPartitions);
    this.config = config;
  }

  @Override
  public void prepareForRealTimeMode() {
    // Every real-time partition holds a task slot for the whole batch: default to one.
    int partitions = config.numPartitions() > 0 ? config.numPartitions() : 1;
    TaskSlots.require(partitions, "real-time mode");
    realTimePartitions = partitions;
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start) {
    return StreamPartitions.plan(servers, Math.max(1, realTimePartitions), (ServingOffset) start);
  }

  @Override
  public Offset mergeOffsets(PartitionOffset[] offsets) {
    return StreamPartitions.merge(offsets);
  }

  @Override
  public void commit(Offset end) {
    if (realTimePartitions > 0) {
      StreamPartitions.commit(servers, (ServingOffset) end);
    } else {
      super.commit(end);
    }
  }
}
