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
import org.apache.spark.sql.types.StructType;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.ServiceSecrets;

/**
 * The streaming write of the {@code serving} sink. Replies are sent as rows are written, so commit
 * and abort have nothing left to do. Append, update (for aggregations) and complete output modes
 * are accepted: every row answers its request, a second answer for the same request is dropped.
 */
public final class ServingWrite
    implements WriteBuilder,
        SupportsTruncate,
        SupportsStreamingUpdateAsAppend,
        Write,
        StreamingWrite {

  private final ServingConfig config;
  private final ReplyColumns columns;

  public ServingWrite(ServingConfig config, StructType schema) {
    this.config = config;
    this.columns = ReplyColumns.resolve(schema, config.idCol(), config.replyCol());
  }

  /**
   * The secret of every service this JVM (the driver) runs or started on executors, by service key.
   */
  static Map<String, String> localSecrets() {
    Map<String, String> secrets = new HashMap<>(ServiceSecrets.known());
    for (ServingEndpoint e : HttpServers.liveEndpoints()) {
      secrets.put(Origins.serviceKey(e.origin()), e.secret());
    }
    return secrets;
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
    return new ServingDataWriterFactory(columns, localSecrets());
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
