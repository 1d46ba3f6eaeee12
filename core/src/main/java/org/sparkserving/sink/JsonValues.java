package org.sparkserving.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Writes Spark's internal values as JSON, following the shape of {@code to_json}: structs become
 * objects, maps objects keyed by the key's text, arrays arrays, binary base64, dates and timestamps
 * ISO-8601 text.
 */
final class JsonValues {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonValues() {}

  static byte[] toJson(SpecializedGetters container, int ordinal, DataType type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      write(gen, container, ordinal, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator gen, SpecializedGetters c, int i, DataType type)
      throws IOException {
    if (c.isNullAt(i)) {
      gen.writeNull();
    } else if (type instanceof StructType struct) {
      writeStruct(gen, c.getStruct(i, struct.size()), struct);
    } else if (type instanceof ArrayType array) {
      ArrayData data = c.getArray(i);
      gen.writeStartArray();
      for (int k = 0; k < data.numElements(); k++) {
        write(gen, data, k, array.elementType());
      }
      gen.writeEndArray();
    } else if (type instanceof MapType map) {
      MapData data = c.getMap(i);
      ArrayData keys = data.keyArray();
      ArrayData values = data.valueArray();
      gen.writeStartObject();
      for (int k = 0; k < data.numElements(); k++) {
        gen.writeFieldName(scalarText(keys, k, map.keyType()));
        write(gen, values, k, map.valueType());
      }
      gen.writeEndObject();
    } else if (type instanceof StringType) {
      gen.writeString(c.getUTF8String(i).toString());
    } else if (type instanceof BooleanType) {
      gen.writeBoolean(c.getBoolean(i));
    } else if (type instanceof IntegerType
        || type instanceof ShortType
        || type instanceof ByteType) {
      gen.writeNumber(scalarText(c, i, type));
    } else if (type instanceof LongType) {
      gen.writeNumber(c.getLong(i));
    } else if (type instanceof DoubleType) {
      writeFloating(gen, c.getDouble(i));
    } else if (type instanceof FloatType) {
      writeFloating(gen, c.getFloat(i));
    } else if (type instanceof DecimalType) {
      gen.writeNumber(scalarText(c, i, type));
    } else {
      gen.writeString(scalarText(c, i, type));
    }
  }

  private static void writeFloating(JsonGenerator gen, double v) throws IOException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      gen.writeString(Double.toString(v));
    } else {
      gen.writeNumber(v);
    }
  }

  private static void writeStruct(JsonGenerator gen, InternalRow row, StructType struct)
      throws IOException {
    gen.writeStartObject();
    StructField[] fields = struct.fields();
    for (int f = 0; f < fields.length; f++) {
      gen.writeFieldName(fields[f].name());
      write(gen, row, f, fields[f].dataType());
    }
    gen.writeEndObject();
  }

  /** The plain text of a non-null scalar: how numbers, strings and dates read as text. */
  static String scalarText(SpecializedGetters c, int i, DataType type) {
    if (type instanceof StringType) {
      return c.getUTF8String(i).toString();
    } else if (type instanceof IntegerType) {
      return Integer.toString(c.getInt(i));
    } else if (type instanceof LongType) {
      return Long.toString(c.getLong(i));
    } else if (type instanceof ShortType) {
      return Short.toString(c.getShort(i));
    } else if (type instanceof ByteType) {
      return Byte.toString(c.getByte(i));
    } else if (type instanceof BooleanType) {
      return Boolean.toString(c.getBoolean(i));
    } else if (type instanceof DoubleType) {
      return Double.toString(c.getDouble(i));
    } else if (type instanceof FloatType) {
      return Float.toString(c.getFloat(i));
    } else if (type instanceof DecimalType d) {
      return c.getDecimal(i, d.precision(), d.scale()).toJavaBigDecimal().toPlainString();
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(c.getInt(i)).toString();
    } else if (type instanceof TimestampType) {
      long micros = c.getLong(i);
      return Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
          .toString();
    } else if (type instanceof BinaryType) {
      return Base64.getEncoder().encodeToString(c.getBinary(i));
    }
    return String.valueOf(c.get(i, type));
  }
}
