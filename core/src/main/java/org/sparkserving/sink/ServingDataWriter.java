package org.sparkserving.sink;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * Answers each row's request the moment the row is written; never waits for the task or the batch
 * to commit.
 */
final class ServingDataWriter implements DataWriter<InternalRow> {

  private final RowReplier replier;

  ServingDataWriter(ServingDataWriterFactory spec) {
    this.replier = new RowReplier(spec.columns(), spec.secrets());
  }

  @Override
  public void write(InternalRow row) {
    replier.reply(row);
  }

  @Override
  public WriterCommitMessage commit() {
    replier.flush();
    return new RepliesSent(replier.written(), replier.unroutable());
  }

  @Override
  public void abort() {
    replier.flush();
  }

  @Override
  public void close() {}

  /** What one writer task did. */
  record RepliesSent(long replies, long unroutable) implements WriterCommitMessage {}
}
