package org.sparkserving.source;

import java.util.Locale;
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
    return "serving[" + config.name() + ", " + config.mode().name().toLowerCase(Locale.ROOT) + "]";
  }

  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    return RealTimeSupport.stream(config, startServers(checkpointLocation), numPartitions());
  }

  @Override
  public ContinuousStream toContinuousStream(String checkpointLocation) {
    // Each continuous partition holds a task slot for the life of the query; default to one per
    // server so that a service never takes every core of a small cluster.
    int partitions = config.numPartitions() > 0 ? config.numPartitions() : 1;
    ServiceServers servers = startServers(checkpointLocation);
    try {
      TaskSlots.require(partitions * Math.max(1, servers.live().size()), "continuous processing");
    } catch (RuntimeException e) {
      servers.stop(null);
      throw e;
    }
    return new ServingContinuousStream(servers, partitions, config.includeErrorDetails());
  }

  /** Starts the servers; a supervised restart on the same checkpoint adopts its head server. */
  private ServiceServers startServers(String checkpointLocation) {
    return config.mode() == ServingConfig.Mode.DISTRIBUTED
        ? DistributedServers.start(config)
        : HeadServers.startOnDriver(config, checkpointLocation);
  }

  /** Partitions per server and batch. */
  private int numPartitions() {
    if (config.numPartitions() > 0) {
      return config.numPartitions();
    }
    SparkContext sc = SparkContext.getOrCreate();
    if (config.mode() == ServingConfig.Mode.DISTRIBUTED && !sc.isLocal()) {
      return Math.max(1, sc.getConf().getInt("spark.executor.cores", 1));
    }
    return Math.max(1, sc.defaultParallelism());
  }
}
