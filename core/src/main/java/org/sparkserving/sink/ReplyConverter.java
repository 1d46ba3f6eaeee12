package org.sparkserving.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.Reply;

/**
 * Turns the reply column's value into an HTTP reply, decided once per column type:
 *
 * <ul>
 *   <li>string: the text, {@code text/plain; charset=UTF-8}
 *   <li>number, boolean, date, timestamp: its text, {@code text/plain}
 *   <li>binary: the bytes, {@code application/octet-stream}
 *   <li>struct, map, array: JSON, {@code application/json}
 *   <li>a reply struct, whose fields are {@code body} and optionally {@code status} (integer) and
 *       {@code headers} (map of strings): full control; the body follows the rules above
 *   <li>null: 204 No Content
 * </ul>
 */
final class ReplyConverter {

  private static final Set<String> REPLY_FIELDS = Set.of("status", "headers", "body");

  private final DataType type;
  private final int statusField;
  private final int headersField;
  private final int bodyField;
  private final DataType bodyType;

  ReplyConverter(DataType type) {
    this.type = type;
    if (isReplyStruct(type)) {
      StructType struct = (StructType) type;
      this.statusField = indexOf(struct, "status");
      this.headersField = indexOf(struct, "headers");
      this.bodyField = indexOf(struct, "body");
      this.bodyType = struct.fields()[bodyField].dataType();
    } else {
      this.statusField = -1;
      this.headersField = -1;
      this.bodyField = -1;
      this.bodyType = null;
    }
  }

  /** A struct with a body and nothing but status, headers and body, of the expected types. */
  static boolean isReplyStruct(DataType type) {
    if (!(type instanceof StructType struct) || indexOf(struct, "body") < 0) {
      return false;
    }
    for (StructField f : struct.fields()) {
      if (!REPLY_FIELDS.contains(f.name())) {
        return false;
      }
    }
    int status = indexOf(struct, "status");
    if (status >= 0) {
      DataType t = struct.fields()[status].dataType();
      if (!(t instanceof IntegerType || t instanceof LongType || t instanceof ShortType)) {
        return false;
      }
    }
    int headers = indexOf(struct, "headers");
    return headers < 0
        || struct.fields()[headers].dataType() instanceof MapType m
            && m.keyType() instanceof StringType
            && m.valueType() instanceof StringType;
  }

  private static int indexOf(StructType struct, String name) {
    StructField[] fields = struct.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  Reply convert(InternalRow row, int ordinal) {
    if (bodyField < 0) {
      return plain(row, ordinal, type, 200, Map.of());
    }
    if (row.isNullAt(ordinal)) {
      return new Reply(204, null, Map.of(), new byte[0]);
    }
    InternalRow reply = row.getStruct(ordinal, ((StructType) type).size());
    long status =
        statusField < 0 || reply.isNullAt(statusField)
            ? 200
            : Long.parseLong(
                JsonValues.scalarText(
                    reply, statusField, ((StructType) type).fields()[statusField].dataType()));
    Map<String, String> headers = new LinkedHashMap<>();
    if (headersField >= 0 && !reply.isNullAt(headersField)) {
      MapData map = reply.getMap(headersField);
      ArrayData keys = map.keyArray();
      ArrayData values = map.valueArray();
      for (int i = 0; i < map.numElements(); i++) {
        if (!values.isNullAt(i)) {
          headers.put(keys.getUTF8String(i).toString(), values.getUTF8String(i).toString());
        }
      }
    }
    if (status < 100 || status > 599) {
      return ErrorReplies.invalidReply("status " + status + " is not from 100 to 599");
    }
    Reply body = plain(reply, bodyField, bodyType, (int) status, headers);
    // An explicit Content-Type header wins over the one the body's type suggests.
    String contentType = body.contentType();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = h.getValue();
      }
    }
    headers.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Type"));
    return new Reply(body.status(), contentType, headers, body.body());
  }

  private static Reply plain(
      SpecializedGetters c, int i, DataType t, int status, Map<String, String> headers) {
    if (c.isNullAt(i)) {
      return new Reply(status == 200 ? 204 : status, null, headers, new byte[0]);
    }
    if (t instanceof BinaryType) {
      return new Reply(status, Reply.BINARY, headers, c.getBinary(i));
    }
    if (t instanceof StructType || t instanceof MapType || t instanceof ArrayType) {
      return new Reply(status, Reply.JSON, headers, JsonValues.toJson(c, i, t));
    }
    return new Reply(
        status,
        Reply.TEXT,
        headers,
        JsonValues.scalarText(c, i, t).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
