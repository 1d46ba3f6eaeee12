package org.sparkserving.sink;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;
import org.sparkserving.routing.ServiceSecrets;

/** Shipped to executors: where the id and reply are in each row, and the routing secrets. */
record ServingDataWriterFactory(ReplyColumns columns, Map<String, String> secrets)
    implements StreamingDataWriterFactory {

  @Override
  public String toString() {
    return "ServingDataWriterFactory[" + columns + "]";
  }

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId, long epochId) {
    ServiceSecrets.learnAll(secrets);
    return new ServingDataWriter(this);
  }
}
