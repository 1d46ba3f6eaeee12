package org.sparkserving.source;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.sparkserving.http.ServingRequest;

/** Turns an admitted request into a row of {@link org.sparkserving.api.ServingSchema#SOURCE}. */
final class RequestRows {

  private RequestRows() {}

  static InternalRow toRow(UTF8String origin, long seq, ServingRequest request) {
    Object[] keys = new Object[request.headers().size()];
    Object[] values = new Object[keys.length];
    int i = 0;
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      keys[i] = UTF8String.fromString(h.getKey());
      values[i] = UTF8String.fromString(h.getValue());
      i++;
    }
    GenericInternalRow requestRow =
        new GenericInternalRow(
            new Object[] {
              UTF8String.fromString(request.method()),
              UTF8String.fromString(request.path()),
              request.query() == null ? null : UTF8String.fromString(request.query()),
              new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(values)),
              request.body()
            });
    return new GenericInternalRow(
        new Object[] {
          new GenericInternalRow(new Object[] {origin, seq}),
          UTF8String.fromBytes(request.body()),
          requestRow
        });
  }
}
