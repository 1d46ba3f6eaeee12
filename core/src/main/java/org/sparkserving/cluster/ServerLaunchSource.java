package org.sparkserving.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A batch source whose only job is to start a service's server inside chosen executors: one
 * partition per executor, pinned there with Spark's executor-level preferred location, each
 * yielding one row that describes the server it found or started. Reading it is how the driver runs
 * code on a given executor with nothing but Spark's public Java interfaces.
 *
 * <p>Options: {@code serviceKey} (an active {@link LaunchPlan}) and {@code executors}, a comma list
 * of {@code executorId@host}.
 */
public final class ServerLaunchSource
    implements TableProvider, SupportsRead, ScanBuilder, Scan, Batch {

  static final StructType SCHEMA =
      new StructType()
          .add("executorId", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("origin", DataTypes.StringType)
          .add("url", DataTypes.StringType);

  private final CaseInsensitiveStringMap options;

  /** For Spark's data source lookup. */
  public ServerLaunchSource() {
    this(CaseInsensitiveStringMap.empty());
  }

  private ServerLaunchSource(CaseInsensitiveStringMap options) {
    this.options = options;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return SCHEMA;
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new ServerLaunchSource(new CaseInsensitiveStringMap(properties));
  }

  @Override
  public String name() {
    return "serving-launch";
  }

  @Override
  public StructType schema() {
    return SCHEMA;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new ServerLaunchSource(options);
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return SCHEMA;
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    String key = options.get("serviceKey");
    LaunchPlan plan = LaunchPlan.find(key);
    if (plan == null) {
      throw new IllegalStateException("No running distributed service has key " + key);
    }
    List<InputPartition> partitions = new ArrayList<>();
    for (String target : options.getOrDefault("executors", "").split(",")) {
      int at = target.indexOf('@');
      if (at > 0) {
        String location = "executor_" + target.substring(at + 1) + "_" + target.substring(0, at);
        partitions.add(new LaunchPartition(plan, location));
      }
    }
    return partitions.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return partition -> new LaunchReader(((LaunchPartition) partition).plan());
  }

  /** One executor to start a server in. */
  record LaunchPartition(LaunchPlan plan, String location) implements InputPartition {
    @Override
    public String[] preferredLocations() {
      return new String[] {location};
    }
  }

  /** Starts the server (unless it runs) where the task landed and describes it in one row. */
  private static final class LaunchReader implements PartitionReader<InternalRow> {
    private final LaunchPlan plan;
    private LaunchedServer server;

    LaunchReader(LaunchPlan plan) {
      this.plan = plan;
    }

    @Override
    public boolean next() {
      if (server != null) {
        return false;
      }
      server = ExecutorServers.ensure(plan);
      return true;
    }

    @Override
    public InternalRow get() {
      return new GenericInternalRow(
          new Object[] {
            UTF8String.fromString(server.executorId()),
            UTF8String.fromString(server.host()),
            UTF8String.fromString(server.origin()),
            UTF8String.fromString(server.url())
          });
    }

    @Override
    public void close() {}
  }
}
