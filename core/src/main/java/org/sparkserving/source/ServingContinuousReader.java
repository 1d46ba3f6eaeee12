package org.sparkserving.source;

import java.io.IOException;
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
      // Spark stops a continuous reader by interrupting it and treats InterruptedException
      // itself as a clean stop; next() may only declare IOException, so rethrow it unchecked.
      Thread.currentThread().interrupt();
      throw ServingContinuousReader.<RuntimeException>sneakyThrow(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneakyThrow(Throwable t) throws T {
    throw (T) t;
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
