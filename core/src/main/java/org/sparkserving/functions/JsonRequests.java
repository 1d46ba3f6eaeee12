package org.sparkserving.functions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.routing.Replies;

/**
 * Parses each request's JSON body with a schema; a body that does not parse is answered with 400
 * and its reason right where it is parsed, and its row leaves the query.
 *
 * <p>Spark's {@code from_json} (permissive, with a corrupt-record field) does the parsing, so every
 * type it reads is supported and good rows cost what {@code from_json} costs. Rows it flags go to a
 * nondeterministic UDF that sends the 400 through {@link Replies#send} and drops the row: being
 * nondeterministic, Spark neither moves the filter below it nor evaluates it twice per row. If a
 * task is retried, the repeated 400 is dropped by the server, which keeps the first answer.
 */
public final class JsonRequests {

  /** The field that collects bodies {@code from_json} could not read; never seen by users. */
  static final String CORRUPT_FIELD = "_serving_unparsed_body";

  private static final String PARSING_COL = "_serving_parsing";
  private static final String KEEP_COL = "_serving_parsed_ok";

  private JsonRequests() {}

  /**
   * The rows of {@code requests} whose body column parses as {@code schema}, with the parsed struct
   * in the new column {@code into}; every other row is answered with 400 and dropped.
   *
   * @throws IllegalArgumentException when a named column is missing, {@code into} already exists,
   *     or the schema uses the reserved field name
   */
  public static Dataset<Row> parse(
      Dataset<Row> requests, StructType schema, String bodyCol, String idCol, String into) {
    List<String> columns = Arrays.asList(requests.columns());
    requireColumn(requests, bodyCol, "bodyCol");
    requireColumn(requests, idCol, "idCol");
    if (columns.stream().anyMatch(c -> c.equalsIgnoreCase(into))) {
      throw new IllegalArgumentException(
          "Cannot put the parsed body into column '"
              + into
              + "': the requests already have a column of that name; choose another 'into'");
    }
    if (Arrays.asList(schema.fieldNames()).contains(CORRUPT_FIELD)) {
      throw new IllegalArgumentException(
          "The schema may not have a field named '" + CORRUPT_FIELD + "'");
    }
    StructType withCorrupt = schema.add(CORRUPT_FIELD, DataTypes.StringType, true);
    Column body = col(bodyCol).cast(DataTypes.StringType);
    Column parsed =
        from_json(
            body,
            withCorrupt,
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_FIELD));
    Column good =
        col(PARSING_COL).isNotNull().and(col(PARSING_COL).getField(CORRUPT_FIELD).isNull());
    Column keep = when(good, lit(true)).otherwise(rejecter(schema).apply(col(idCol), body));

    List<Column> out = new ArrayList<>();
    for (String c : columns) {
      out.add(col(quote(c)));
    }
    List<Column> fields = new ArrayList<>();
    for (String f : schema.fieldNames()) {
      fields.add(col(PARSING_COL).getField(f).as(f));
    }
    out.add(struct(fields.toArray(new Column[0])).as(into));
    return requests
        .withColumn(PARSING_COL, parsed)
        .withColumn(KEEP_COL, keep)
        .filter(col(KEEP_COL))
        .select(out.toArray(new Column[0]));
  }

  /**
   * Answers the request of {@code id} with 400 and the reason its body does not fit {@code schema};
   * always false, so that the row is dropped.
   */
  private static UserDefinedFunction rejecter(StructType schema) {
    UDF2<Row, String, Boolean> reject =
        (id, body) -> {
          if (id != null) {
            String origin = id.getAs("origin");
            Long seq = id.getAs("seq");
            if (origin != null && seq != null) {
              Replies.send(
                  origin, seq, ErrorReplies.badRequest(JsonDiagnosis.reason(body, schema)));
            }
          }
          return false;
        };
    return udf(reject, DataTypes.BooleanType).asNondeterministic().withName("serving_reject_json");
  }

  private static void requireColumn(Dataset<Row> requests, String column, String what) {
    try {
      requests.col(column);
    } catch (Exception e) { // Spark's AnalysisException
      throw new IllegalArgumentException(
          "No column '"
              + column
              + "' ("
              + what
              + ") among the requests' columns "
              + String.join(", ", requests.columns()),
          e);
    }
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
