package org.sparkserving.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.streaming.ContinuousPartitionReader;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;

/**
 * A continuous reader: {@link #next()} blocks until the partition's next request arrives, as
 * Spark's continuous engine expects (it reads on a thread of its own and interrupts it to stop).
 */
final class ServingContinuousReader implements ContinuousPartitionReader<InternalRow> {

  private static final long WAIT_SLICE_MS = 1000;

  private final CursorRows rows;

  ServingContinuousReader(ServingStreamPartition partition) {
    this.rows = new CursorRows(partition);
  }

  @Override
  public boolean next() throws IOException {
    try {
      while (!rows.advance(WAIT_SLICE_MS)) {
        // keep waiting: a continuous reader reports no end of data
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Continuous serving reader interrupted");
    }
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
