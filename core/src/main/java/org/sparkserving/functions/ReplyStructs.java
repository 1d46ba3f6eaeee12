package org.sparkserving.functions;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_concat;
import static org.apache.spark.sql.functions.map_keys;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.sparkserving.http.Reply;

/**
 * Builds reply structs {@code struct<status: int, headers: map<string,string>, body>}, the reply
 * column type the sink sends with full control over status and headers.
 */
public final class ReplyStructs {

  /** The type of a reply struct's headers. */
  public static final DataType HEADERS_TYPE =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);

  private ReplyStructs() {}

  /** A reply struct with these parts; status is cast to int and headers to a string map. */
  public static Column reply(Column body, Column status, Column headers) {
    return struct(
        status.cast(DataTypes.IntegerType).as("status"),
        headers.cast(HEADERS_TYPE).as("headers"),
        body.as("body"));
  }

  /** A literal header map; an empty map when {@code headers} is empty. */
  public static Column headers(Map<String, String> headers) {
    List<Column> kv = new ArrayList<>();
    headers.forEach(
        (k, v) -> {
          kv.add(lit(k));
          kv.add(lit(v));
        });
    return map(kv.toArray(new Column[0])).cast(HEADERS_TYPE);
  }

  /** No headers. */
  public static Column noHeaders() {
    return map().cast(HEADERS_TYPE);
  }

  /**
   * The JSON text of any value: an object for a struct or map, an array for an array, and a JSON
   * scalar ({@code 42}, {@code "text"}, {@code true}, {@code null}) for everything else. Null
   * fields are written as {@code null}, as the sink writes a struct reply. Spark's {@code to_json}
   * writes the value as the only element of an array; the brackets are cut off.
   */
  public static Column jsonText(Column value) {
    Column inArray = to_json(array(value), Map.of("ignoreNullFields", "false"));
    return inArray.substr(lit(2), length(inArray).minus(lit(2)));
  }

  /**
   * A reply struct whose body is the JSON text of {@code value}, with {@code Content-Type:
   * application/json} unless {@code headers} sets a Content-Type of its own.
   */
  public static Column jsonReply(Column value, Column status, Column headers) {
    Column h = headers.cast(HEADERS_TYPE);
    Column hasContentType = exists(map_keys(h), k -> lower(k).equalTo(lit("content-type")));
    Column withJson =
        when(hasContentType, h)
            .otherwise(map_concat(map(lit("Content-Type"), lit(Reply.JSON)), h).cast(HEADERS_TYPE));
    return reply(jsonText(value), status, withJson);
  }
}
