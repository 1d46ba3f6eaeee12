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

/** The table behind both directions of the format. */
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
    ServingConfig scanConfig = ServingConfig.parse(options.asCaseSensitiveMap());
    scanConfig.requireName();
    return new ServingScan(scanConfig);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    ServingConfig writeConfig = ServingConfig.parse(info.options().asCaseSensitiveMap());
    ServingWrite built = new ServingWrite(writeConfig, info.schema());
    write = built;
    return built;
  }

  /** The sink's counters in the query's progress (Spark asks the sink table after each batch). */
  @Override
  public Map<String, String> metrics() {
    ServingWrite w = write;
    return w == null ? Map.of() : w.metrics();
  }
}
