package org.sparkserving.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.unsafe.types.UTF8String;
import org.sparkserving.source.ServingPartitionReader.RequestRecord;

/** Rows from a {@link RequestCursor}: the state the continuous and real-time readers share. */
final class CursorRows {

  private final String key;
  private final UTF8String origin;
  private final RequestCursor cursor;
  private InternalRow current;

  CursorRows(ServingStreamPartition partition) {
    this.key = partition.key();
    this.origin = UTF8String.fromString(partition.origin());
    this.cursor = partition.cursor();
  }

  /** Moves to the next request, waiting at most {@code timeoutMs}; false when none came. */
  boolean advance(long timeoutMs) throws InterruptedException {
    RequestRecord r = cursor.next(timeoutMs);
    if (r == null) {
      return false;
    }
    current = RequestRows.toRow(origin, r.seq(), r.request());
    return true;
  }

  InternalRow current() {
    return current;
  }

  PartitionOffset offset() {
    return new ServingPartitionOffset(key, cursor.lastSeq());
  }
}
