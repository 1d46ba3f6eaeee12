package org.sparkserving.sink;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.api.ServingOptions;

/**
 * Where a row keeps its request id and its reply, checked once against the query's schema.
 *
 * @param idOrdinal the id column
 * @param originField the origin field within the id struct
 * @param seqField the seq field within the id struct
 * @param replyOrdinal the reply column
 * @param replyType the reply column's type
 */
record ReplyColumns(
    int idOrdinal, int originField, int seqField, int replyOrdinal, DataType replyType)
    implements java.io.Serializable {

  /**
   * Finds the columns named by {@code idCol} and {@code replyCol} in {@code schema}.
   *
   * @throws IllegalArgumentException naming the option when a column is missing or mistyped
   */
  static ReplyColumns resolve(StructType schema, String idCol, String replyCol) {
    int id = ordinal(schema, idCol, ServingOptions.ID_COL);
    DataType idType = schema.fields()[id].dataType();
    int origin = idType instanceof StructType s ? field(s, "origin") : -1;
    int seq = idType instanceof StructType s ? field(s, "seq") : -1;
    if (origin < 0
        || seq < 0
        || !(((StructType) idType).fields()[origin].dataType() instanceof StringType)
        || !(((StructType) idType).fields()[seq].dataType() instanceof LongType)) {
      throw ServingConfig.invalid(
          ServingOptions.ID_COL,
          idCol,
          "a column of type struct<origin: string, seq: bigint> as the serving source "
              + "produces it, but it is "
              + idType.simpleString());
    }
    int reply = ordinal(schema, replyCol, ServingOptions.REPLY_COL);
    return new ReplyColumns(id, origin, seq, reply, schema.fields()[reply].dataType());
  }

  private static int field(StructType struct, String name) {
    StructField[] fields = struct.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static int ordinal(StructType schema, String column, String option) {
    int exact = field(schema, column);
    if (exact >= 0) {
      return exact;
    }
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw ServingConfig.invalid(
        option,
        column,
        "a column of the query; its columns are " + String.join(", ", schema.fieldNames()));
  }
}
