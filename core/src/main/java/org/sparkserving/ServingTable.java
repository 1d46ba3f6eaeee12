package org.sparkserving;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.ReportsSinkMetrics;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.api.ServingSchema;
import org.sparkserving.sink.ServingWrite;
import org.sparkserving.source.ServingScan;

/**
 * The table behind both directions of the format. It holds the options parsed once, by the
 * provider, and every scan and write uses them: Spark passes the same options again to {@link
 * #newScanBuilder} and {@link #newWriteBuilder}, but without the provider's own defaults (the
 * seed's {@code Distributed*} class names default {@code mode} to distributed), so parsing them
 * again would silently serve in head-node mode.
 */
final class ServingTable implements SupportsRead, SupportsWrite, ReportsSinkMetrics {

  private final ServingConfig config;

  /** The write built on this table when it is a query's sink, for its progress metrics. */
  private volatile ServingWrite write;

  ServingTable(ServingConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "serving" + (config.name() == null ? "" : "[" + config.name() + "]");
  }

  @Override
  @SuppressWarnings("deprecation") // columns() is 3.4+ only; schema() works on every line
  public StructType schema() {
    return ServingSchema.SOURCE;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(
        TableCapability.MICRO_BATCH_READ,
        TableCapability.CONTINUOUS_READ,
        TableCapability.STREAMING_WRITE);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    config.requireName();
    return new ServingScan(config);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    ServingWrite built = new ServingWrite(config, info.schema());
    write = built;
    return built;
  }

  /** The options this table was made with. */
  ServingConfig config() {
    return config;
  }

  /** The sink's counters in the query's progress (Spark asks the sink table after each batch). */
  @Override
  public Map<String, String> metrics() {
    ServingWrite w = write;
    return w == null ? Map.of() : w.metrics();
  }
}
