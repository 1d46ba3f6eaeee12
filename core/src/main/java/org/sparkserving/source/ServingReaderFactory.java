package org.sparkserving.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Creates the reader of one {@link ServingInputPartition}; shipped to executors. */
final class ServingReaderFactory implements PartitionReaderFactory {

  private static final long serialVersionUID = 1L;

  static final ServingReaderFactory INSTANCE = new ServingReaderFactory();

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (partition instanceof ServingStreamPartition stream) {
      // Only planned by the real-time stream, so this never runs where real-time mode is absent.
      return RealTimeServingReader.create(stream);
    }
    return new ServingPartitionReader((ServingInputPartition) partition);
  }
}
