package org.sparkserving.source;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.ContinuousStream;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.api.ServingSchema;

/** The scan of the {@code serving} source: creating a stream starts the service's servers. */
public final class ServingScan implements ScanBuilder, Scan {

  private final ServingConfig config;

  public ServingScan(ServingConfig config) {
    this.config = config;
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return ServingSchema.SOURCE;
  }

  @Override
  public String description() {
    return "serving[" + config.name() + "]";
  }

  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    requireHeadMode();
    return RealTimeSupport.stream(config, ServiceServers.startOnDriver(config), numPartitions());
  }

  @Override
  public ContinuousStream toContinuousStream(String checkpointLocation) {
    requireHeadMode();
    // Each continuous partition holds a task slot for the life of the query; default to one so
    // that a service never takes every core of a small cluster.
    int partitions = config.numPartitions() > 0 ? config.numPartitions() : 1;
    TaskSlots.require(partitions, "continuous processing");
    return new ServingContinuousStream(ServiceServers.startOnDriver(config), partitions);
  }

  private int numPartitions() {
    return config.numPartitions() > 0
        ? config.numPartitions()
        : Math.max(1, SparkContext.getOrCreate().defaultParallelism());
  }

  private void requireHeadMode() {
    if (config.mode() != ServingConfig.Mode.HEAD) {
      throw new UnsupportedOperationException(
          "Option 'mode' = 'distributed' is not available in this version yet; use 'head'");
    }
  }
}
