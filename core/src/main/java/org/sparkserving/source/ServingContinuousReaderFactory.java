package org.sparkserving.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.ContinuousPartitionReader;
import org.apache.spark.sql.connector.read.streaming.ContinuousPartitionReaderFactory;
import org.sparkserving.routing.ServiceSecrets;

/** Creates continuous readers; shipped to executors. */
final class ServingContinuousReaderFactory implements ContinuousPartitionReaderFactory {

  private static final long serialVersionUID = 1L;

  static final ServingContinuousReaderFactory INSTANCE = new ServingContinuousReaderFactory();

  @Override
  public ContinuousPartitionReader<InternalRow> createReader(InputPartition partition) {
    ServingStreamPartition p = (ServingStreamPartition) partition;
    ServiceSecrets.learn(p.origin(), p.secret());
    return new ServingContinuousReader(p);
  }
}
