package org.sparkserving;

import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.api.ServingOptions;
import org.sparkserving.functions.JsonRequests;
import org.sparkserving.functions.ReplyStructs;

/**
 * Helpers for serving queries, in the style of {@code org.apache.spark.sql.functions}: parse JSON
 * requests, and build JSON replies and reply structs with a status and headers.
 *
 * <pre>{@code
 * import static org.sparkserving.ServingFunctions.*;
 *
 * Dataset<Row> requests = parseRequest(
 *     spark.readStream().format("serving").option("name", "add").load(), "a INT, b INT");
 * requests.withColumn("reply", jsonReply(struct(expr("parsed.a + parsed.b").as("sum"))))
 *     .writeStream().format("serving").option("name", "add").start();
 * // curl -d '{"a":1,"b":2}' .../add   ->  {"sum":3}
 * // curl -d '{"a":1,'       .../add   ->  400 {"error":"Bad request: malformed JSON: ...","status":400}
 * }</pre>
 *
 * <p>Python has the same functions under snake_case names in {@code sparkserving}, calling these
 * through py4j, so no Python runs per request.
 */
public final class ServingFunctions {

  /** The column {@link #parseRequest} puts the parsed body into unless told otherwise. */
  public static final String PARSED_COL = "parsed";

  private ServingFunctions() {}

  /**
   * Parses each request's body ({@code value}) as a JSON object of {@code schema}, into a new
   * struct column {@code parsed} beside the requests' own columns.
   *
   * <p>A body that is not JSON, not an object, or has a field of the wrong type is answered at once
   * with {@code 400} and a JSON body giving the reason (for example {@code {"error":"Bad request:
   * field 'age' must be an integer, got a string","status":400}}), and its row is dropped; the
   * query and every other client carry on. As with Spark's {@code from_json}, fields the schema
   * does not name are ignored and missing fields are null.
   *
   * @param requests rows of the {@code serving} source (any columns, with {@code id} and {@code
   *     value})
   * @param schema the fields expected in the JSON object
   * @return the rows whose body parses, with the column {@code parsed} of type {@code schema}
   */
  public static Dataset<Row> parseRequest(Dataset<Row> requests, StructType schema) {
    return parseRequest(
        requests, schema, "value", ServingOptions.DEFAULT_ID_COL, ServingFunctions.PARSED_COL);
  }

  /**
   * {@link #parseRequest(Dataset, StructType)} with the schema as a DDL string ({@code "a INT, b
   * STRING"}) or as a JSON schema ({@code StructType.json()}).
   */
  public static Dataset<Row> parseRequest(Dataset<Row> requests, String schema) {
    return parseRequest(requests, schemaOf(schema));
  }

  /**
   * {@link #parseRequest(Dataset, StructType)} with every column named.
   *
   * @param bodyCol the column holding the body: a string or binary (for example {@code value} or
   *     {@code request.body})
   * @param idCol the request id column as the source produced it (default {@code id})
   * @param into the name of the new column with the parsed struct (default {@code parsed})
   */
  public static Dataset<Row> parseRequest(
      Dataset<Row> requests, StructType schema, String bodyCol, String idCol, String into) {
    return JsonRequests.parse(requests, schema, bodyCol, idCol, into);
  }

  /**
   * {@link #parseRequest(Dataset, StructType, String, String, String)} with the schema as a DDL or
   * JSON string.
   */
  public static Dataset<Row> parseRequest(
      Dataset<Row> requests, String schema, String bodyCol, String idCol, String into) {
    return parseRequest(requests, schemaOf(schema), bodyCol, idCol, into);
  }

  /**
   * A reply struct {@code struct<status: int, headers: map<string,string>, body>} with status 200
   * and no headers. The sink sends the body as it sends any reply column: a string as text, binary
   * as bytes, a struct, map or array as JSON.
   */
  public static Column reply(Column body) {
    return ReplyStructs.reply(body, lit(200), ReplyStructs.noHeaders());
  }

  /** A reply struct with this status (100 to 599; anything else answers 500) and no headers. */
  public static Column reply(Column body, int status) {
    return reply(body, lit(status));
  }

  /** A reply struct with a status column and no headers. */
  public static Column reply(Column body, Column status) {
    return ReplyStructs.reply(body, status, ReplyStructs.noHeaders());
  }

  /** A reply struct with this status and these headers (a Content-Type here wins). */
  public static Column reply(Column body, int status, Map<String, String> headers) {
    return ReplyStructs.reply(body, lit(status), ReplyStructs.headers(headers));
  }

  /** A reply struct with status and headers ({@code map<string,string>}) columns. */
  public static Column reply(Column body, Column status, Column headers) {
    return ReplyStructs.reply(body, status, headers);
  }

  /**
   * A reply struct whose body is {@code value} written as JSON, with status 200 and {@code
   * Content-Type: application/json}. Any value works: a struct or map becomes an object, an array
   * an array, a number, string or boolean a JSON scalar, null {@code null}.
   */
  public static Column jsonReply(Column value) {
    return jsonReply(value, lit(200), ReplyStructs.noHeaders());
  }

  /** {@link #jsonReply(Column)} with this status. */
  public static Column jsonReply(Column value, int status) {
    return jsonReply(value, lit(status), ReplyStructs.noHeaders());
  }

  /** {@link #jsonReply(Column)} with a status column. */
  public static Column jsonReply(Column value, Column status) {
    return jsonReply(value, status, ReplyStructs.noHeaders());
  }

  /**
   * {@link #jsonReply(Column)} with this status and these headers; a Content-Type among them
   * replaces {@code application/json}.
   */
  public static Column jsonReply(Column value, int status, Map<String, String> headers) {
    return jsonReply(value, lit(status), ReplyStructs.headers(headers));
  }

  /** {@link #jsonReply(Column)} with status and headers columns. */
  public static Column jsonReply(Column value, Column status, Column headers) {
    return ReplyStructs.jsonReply(value, status, headers);
  }

  private static StructType schemaOf(String schema) {
    String s = schema.trim();
    DataType type = s.startsWith("{") ? DataType.fromJson(s) : StructType.fromDDL(s);
    if (!(type instanceof StructType struct)) {
      throw new IllegalArgumentException(
          "The schema of a JSON request must be a struct, not " + type.simpleString());
    }
    return struct;
  }
}
