package org.sparkserving.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.streaming.ContinuousPartitionReader;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.unsafe.types.UTF8String;
import org.sparkserving.source.ServingPartitionReader.RequestRecord;

/**
 * A continuous reader: {@link #next()} blocks until the partition's next request arrives, as
 * Spark's continuous engine expects (it reads on a thread of its own and interrupts it to stop).
 */
final class ServingContinuousReader implements ContinuousPartitionReader<InternalRow> {

  private static final long WAIT_SLICE_MS = 1000;

  private final String key;
  private final UTF8String origin;
  private final RequestCursor cursor;
  private InternalRow current;

  ServingContinuousReader(ServingStreamPartition partition) {
    this.key = partition.key();
    this.origin = UTF8String.fromString(partition.origin());
    this.cursor = partition.cursor();
  }

  @Override
  public boolean next() throws IOException {
    try {
      RequestRecord r;
      do {
        r = cursor.next(WAIT_SLICE_MS);
      } while (r == null);
      current = RequestRows.toRow(origin, r.seq(), r.request());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Continuous serving reader interrupted");
    }
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public PartitionOffset getOffset() {
    return new ServingPartitionOffset(key, cursor.lastSeq());
  }

  @Override
  public void close() {}
}
