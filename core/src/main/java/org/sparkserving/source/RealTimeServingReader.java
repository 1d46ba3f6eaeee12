package org.sparkserving.source;

import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.sql.connector.read.streaming.SupportsRealTimeRead;

/**
 * A reader of one real-time batch: Spark asks for the next record with a timeout until the batch
 * deadline; the reader blocks until a request arrives or the time is up. Implements both signatures
 * of {@code nextWithTimeout} (Spark 4.1's and 4.2's), neither marked as an override.
 */
final class RealTimeServingReader implements SupportsRealTimeRead<InternalRow> {

  private final CursorRows rows;

  private RealTimeServingReader(ServingStreamPartition partition) {
    this.rows = new CursorRows(partition);
  }

  static PartitionReader<InternalRow> create(ServingStreamPartition partition) {
    return new RealTimeServingReader(partition);
  }

  /** Spark 4.1. */
  public RecordStatus nextWithTimeout(Long timeoutMs) throws IOException {
    try {
      return RecordStatus.newStatusWithoutArrivalTime(rows.advance(Math.max(0, timeoutMs)));
    } catch (InterruptedException e) {
      // The query is stopping: end this batch's partition quietly.
      Thread.currentThread().interrupt();
      return RecordStatus.newStatusWithoutArrivalTime(false);
    }
  }

  /** Spark 4.2: the current time and the time left until the batch's deadline, in ms. */
  public RecordStatus nextWithTimeout(Long nowMs, Long timeoutMs) throws IOException {
    return nextWithTimeout(timeoutMs);
  }

  @Override
  public boolean next() throws IOException {
    return nextWithTimeout(0L).hasRecord();
  }

  @Override
  public InternalRow get() {
    return rows.current();
  }

  @Override
  public PartitionOffset getOffset() {
    return rows.offset();
  }

  @Override
  public void close() {}
}
