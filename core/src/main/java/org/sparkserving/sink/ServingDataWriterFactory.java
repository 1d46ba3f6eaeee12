package org.sparkserving.sink;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;

/** Shipped to executors: where the id and reply are in each row, and the routing secrets. */
record ServingDataWriterFactory(ReplyColumns columns, Map<String, String> secrets)
    implements StreamingDataWriterFactory {

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId, long epochId) {
    return new ServingDataWriter(this);
  }
}
