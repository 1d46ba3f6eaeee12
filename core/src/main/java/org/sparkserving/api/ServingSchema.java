package org.sparkserving.api;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The schema of the rows the {@code serving} source produces: one row per HTTP request. */
public final class ServingSchema {

  private ServingSchema() {}

  /** {@code id: struct<origin: string, seq: long>}: which server instance holds the client. */
  public static final StructType ID =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("origin", DataTypes.StringType, false),
            DataTypes.createStructField("seq", DataTypes.LongType, false)
          });

  /** {@code request: struct<method, path, query, headers, body>}. */
  public static final StructType REQUEST =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("method", DataTypes.StringType, false),
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("query", DataTypes.StringType, true),
            DataTypes.createStructField(
                "headers", new MapType(DataTypes.StringType, DataTypes.StringType, false), false),
            DataTypes.createStructField("body", DataTypes.BinaryType, false)
          });

  /** The source's full schema: {@code id}, {@code value} (the body as UTF-8), {@code request}. */
  public static final StructType SOURCE =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", ID, false),
            DataTypes.createStructField("value", DataTypes.StringType, false),
            DataTypes.createStructField("request", REQUEST, false)
          });
}
