package org.sparkserving.sink;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;
import org.apache.spark.sql.types.DataType;

/** Shipped to executors: where the id and reply are in each row, and the routing secrets. */
record ServingDataWriterFactory(
    int idOrdinal,
    int originField,
    int seqField,
    int replyOrdinal,
    DataType replyType,
    Map<String, String> secrets)
    implements StreamingDataWriterFactory {

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId, long epochId) {
    return new ServingDataWriter(this);
  }
}
