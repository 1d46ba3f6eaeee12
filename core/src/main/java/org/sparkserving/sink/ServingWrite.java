package org.sparkserving.sink;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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

  /** Summed over the query's committed writer tasks, for the sink's progress metrics. */
  private final LongAdder repliesSent = new LongAdder();

  private final LongAdder undeliveredReplies = new LongAdder();

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
  public void commit(long epochId, WriterCommitMessage[] messages) {
    for (WriterCommitMessage m : messages) {
      if (m instanceof ServingDataWriter.RepliesSent sent) {
        repliesSent.add(sent.replies());
        undeliveredReplies.add(sent.unroutable());
      }
    }
  }

  /**
   * The sink's counters for the query's progress ({@code progress.sink.metrics}): {@code
   * repliesSent} and {@code undeliveredReplies}, replies whose server could not be reached or was
   * gone (their clients were answered 504 or had left), summed over the query's committed tasks.
   */
  public Map<String, String> metrics() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("repliesSent", Long.toString(repliesSent.sum()));
    out.put("undeliveredReplies", Long.toString(undeliveredReplies.sum()));
    return out;
  }

  @Override
  public void abort(long epochId, WriterCommitMessage[] messages) {}
}
