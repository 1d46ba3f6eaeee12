package org.sparkserving.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;
import org.apache.spark.sql.connector.write.streaming.StreamingWrite;
import org.apache.spark.sql.internal.connector.SupportsStreamingUpdateAsAppend;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.api.ServingOptions;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;

/**
 * The streaming write of the {@code serving} sink. Replies are sent as rows are written, so commit
 * and abort have nothing left to do. Append, update (for aggregations) and complete output modes
 * are accepted: every row answers its request, a second answer for the same request is dropped.
 */
public final class ServingWrite
    implements WriteBuilder, SupportsTruncate, SupportsStreamingUpdateAsAppend, Write,
        StreamingWrite {

  private final ServingConfig config;
  private final int idOrdinal;
  private final int originField;
  private final int seqField;
  private final int replyOrdinal;
  private final DataType replyType;

  public ServingWrite(ServingConfig config, StructType schema) {
    this.config = config;
    this.idOrdinal = ordinal(schema, config.idCol(), ServingOptions.ID_COL);
    DataType idType = schema.fields()[idOrdinal].dataType();
    if (!(idType instanceof StructType id)
        || fieldType(id, "origin") != DataTypes.StringType
        || fieldType(id, "seq") != DataTypes.LongType) {
      throw ServingConfig.invalid(ServingOptions.ID_COL, config.idCol(),
          "a column of type struct<origin: string, seq: bigint> as the serving source "
              + "produces it, but it is " + idType.simpleString());
    }
    this.originField = id.fieldIndex("origin");
    this.seqField = id.fieldIndex("seq");
    this.replyOrdinal = ordinal(schema, config.replyCol(), ServingOptions.REPLY_COL);
    this.replyType = schema.fields()[replyOrdinal].dataType();
  }

  private static DataType fieldType(StructType struct, String name) {
    for (StructField f : struct.fields()) {
      if (f.name().equals(name)) {
        return f.dataType() instanceof org.apache.spark.sql.types.StringType
            ? DataTypes.StringType
            : f.dataType();
      }
    }
    return null;
  }

  private static int ordinal(StructType schema, String column, String option) {
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(column)) {
        return i;
      }
    }
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw ServingConfig.invalid(option, column,
        "a column of the query; its columns are " + String.join(", ", schema.fieldNames()));
  }

  @Override
  public Write build() {
    return this;
  }

  @Override
  public WriteBuilder truncate() {
    return this;
  }

  @Override
  public String description() {
    return "serving[" + config.name() + ", replyCol=" + config.replyCol() + "]";
  }

  @Override
  public StreamingWrite toStreaming() {
    return this;
  }

  @Override
  public StreamingDataWriterFactory createStreamingWriterFactory(PhysicalWriteInfo info) {
    Map<String, String> secrets = new HashMap<>();
    for (ServingEndpoint e : HttpServers.liveEndpoints()) {
      secrets.put(e.instanceId(), e.secret());
    }
    return new ServingDataWriterFactory(
        idOrdinal, originField, seqField, replyOrdinal, replyType, secrets);
  }

  /**
   * Replies went out as rows were written, so there is nothing for the driver to arbitrate: skip
   * the commit coordinator's round trip per task (a method of Spark 3.1+; no {@code @Override} so
   * the class stays loadable where it is missing).
   */
  public boolean useCommitCoordinator() {
    return false;
  }

  @Override
  public void commit(long epochId, WriterCommitMessage[] messages) {}

  @Override
  public void abort(long epochId, WriterCommitMessage[] messages) {}
}
