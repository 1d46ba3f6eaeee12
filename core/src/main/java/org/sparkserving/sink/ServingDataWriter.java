package org.sparkserving.sink;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.unsafe.types.UTF8String;
import org.sparkserving.routing.ReplyRouter;

/**
 * Answers each row's request the moment the row is written; never waits for the task or the
 * batch to commit. Rows without an id (a null produced by the query) are skipped: their clients
 * get 504 at replyTimeout.
 */
final class ServingDataWriter implements DataWriter<InternalRow> {

  private final ServingDataWriterFactory spec;
  private final ReplyConverter converter;
  private final ReplyRouter router;
  private UTF8String lastOriginBytes;
  private String lastOrigin;
  private long written;

  ServingDataWriter(ServingDataWriterFactory spec) {
    this.spec = spec;
    this.converter = new ReplyConverter(spec.replyType());
    this.router = new ReplyRouter(spec.secrets());
  }

  @Override
  public void write(InternalRow row) {
    if (row.isNullAt(spec.idOrdinal())) {
      return;
    }
    InternalRow id = row.getStruct(spec.idOrdinal(), 2);
    UTF8String originBytes = id.getUTF8String(spec.originField());
    if (!originBytes.equals(lastOriginBytes)) {
      // Rows of one task nearly always share an origin: decode it once.
      lastOriginBytes = originBytes.clone();
      lastOrigin = originBytes.toString();
    }
    router.send(lastOrigin, id.getLong(spec.seqField()), converter.convert(row,
        spec.replyOrdinal()));
    written++;
  }

  @Override
  public WriterCommitMessage commit() {
    router.flush();
    return new RepliesSent(written, router.unroutable());
  }

  @Override
  public void abort() {
    router.flush();
  }

  @Override
  public void close() {}

  /** What one writer task did. */
  record RepliesSent(long replies, long unroutable) implements WriterCommitMessage {}
}
