package org.sparkserving.sink;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.sparkserving.routing.ReplyRouter;

/**
 * Answers the request of each row it is given, at once: the shared core of the sink's data writer
 * and of the {@code foreach} writer. Rows without an id are skipped: their clients get 504 at
 * replyTimeout. Not thread-safe; one per task.
 */
final class RowReplier {

  private final ReplyColumns columns;
  private final ReplyConverter converter;
  private final ReplyRouter router;
  private UTF8String lastOriginBytes;
  private String lastOrigin;
  private long written;

  RowReplier(ReplyColumns columns, Map<String, String> secrets) {
    this.columns = columns;
    this.converter = new ReplyConverter(columns.replyType());
    this.router = new ReplyRouter(secrets);
  }

  void reply(InternalRow row) {
    if (row.isNullAt(columns.idOrdinal())) {
      return;
    }
    InternalRow id = row.getStruct(columns.idOrdinal(), 2);
    UTF8String originBytes = id.getUTF8String(columns.originField());
    if (!originBytes.equals(lastOriginBytes)) {
      // Rows of one task nearly always share an origin: decode it once.
      lastOriginBytes = originBytes.clone();
      lastOrigin = originBytes.toString();
    }
    router.send(
        lastOrigin, id.getLong(columns.seqField()), converter.convert(row, columns.replyOrdinal()));
    written++;
  }

  /** Sends what is batched for other JVMs. */
  void flush() {
    router.flush();
  }

  long written() {
    return written;
  }

  long unroutable() {
    return router.unroutable();
  }
}
