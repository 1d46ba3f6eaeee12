package org.sparkserving.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.sparkserving.routing.ServiceSecrets;

/** Creates the reader of one {@link ServingInputPartition}; shipped to executors. */
final class ServingReaderFactory implements PartitionReaderFactory {

  private static final long serialVersionUID = 1L;

  static final ServingReaderFactory INSTANCE = new ServingReaderFactory();

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (partition instanceof ServingStreamPartition stream) {
      ServiceSecrets.learn(stream.origin(), stream.secret());
      // Only planned by the real-time stream, so this never runs where real-time mode is absent.
      return RealTimeServingReader.create(stream);
    }
    ServingInputPartition p = (ServingInputPartition) partition;
    ServiceSecrets.learn(p.origin(), p.secret());
    return new ServingPartitionReader(p);
  }
}
