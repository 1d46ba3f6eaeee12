package org.sparkserving.functions;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Explains, in one sentence a client can act on, why a request body is not a JSON object of a given
 * schema. Spark's {@code from_json} does the parsing; this class only runs for the bodies it
 * rejected, so its cost is paid by bad requests alone.
 */
public final class JsonDiagnosis {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REASON_CHARS = 300;

  private JsonDiagnosis() {}

  /**
   * Why {@code body} does not parse as a JSON object of {@code schema}.
   *
   * @return a reason such as {@code "malformed JSON: Unexpected end-of-input ... (line 1, column
   *     9)"} or {@code "field 'age' must be an integer, got a string"}
   */
  public static String reason(String body, StructType schema) {
    if (body == null || body.isBlank()) {
      return "the body is empty; expected a JSON object";
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return cap("malformed JSON: " + firstLine(e.getOriginalMessage()) + where);
    }
    if (root == null || root.isMissingNode()) {
      return "the body is empty; expected a JSON object";
    }
    if (!root.isObject()) {
      return "expected a JSON object, got " + kind(root);
    }
    String mismatch = check(root, schema, "");
    return cap(
        mismatch != null
            ? mismatch
            : "the JSON object does not match the schema " + schema.simpleString());
  }

  /** The first place where {@code node} cannot be read as {@code type}, or null if none. */
  private static String check(JsonNode node, DataType type, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (type instanceof StructType struct) {
      if (!node.isObject()) {
        return mismatch(path, "an object", node);
      }
      for (StructField f : struct.fields()) {
        String found = check(node.get(f.name()), f.dataType(), join(path, f.name()));
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (type instanceof ArrayType array) {
      if (!node.isArray()) {
        return mismatch(path, "an array", node);
      }
      for (int i = 0; i < node.size(); i++) {
        String found = check(node.get(i), array.elementType(), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (type instanceof MapType map) {
      if (!node.isObject()) {
        return mismatch(path, "an object", node);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String found = check(e.getValue(), map.valueType(), join(path, e.getKey()));
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (type instanceof BooleanType) {
      return node.isBoolean() ? null : mismatch(path, "true or false", node);
    }
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType) {
      return node.isIntegralNumber() && node.canConvertToInt()
          ? fitsIn(node.asLong(), type, path)
          : mismatch(path, "an integer", node);
    }
    if (type instanceof LongType) {
      return node.isIntegralNumber() && node.canConvertToLong()
          ? null
          : mismatch(path, "an integer", node);
    }
    if (type instanceof FloatType || type instanceof DoubleType || type instanceof DecimalType) {
      return node.isNumber() || (!(type instanceof DecimalType) && isSpecialFloat(node))
          ? null
          : mismatch(path, "a number", node);
    }
    // Strings accept any JSON value (Spark keeps its text); dates, timestamps and the rest are
    // left to Spark's own message.
    return null;
  }

  private static String fitsIn(long v, DataType type, String path) {
    long min = type instanceof ByteType ? Byte.MIN_VALUE : Short.MIN_VALUE;
    long max = type instanceof ByteType ? Byte.MAX_VALUE : Short.MAX_VALUE;
    if (type instanceof IntegerType || (v >= min && v <= max)) {
      return null;
    }
    return "field '" + path + "' must be an integer from " + min + " to " + max + ", got " + v;
  }

  private static boolean isSpecialFloat(JsonNode node) {
    return node.isTextual()
        && switch (node.asText()) {
          case "NaN", "Infinity", "+Infinity", "-Infinity", "INF", "+INF", "-INF" -> true;
          default -> false;
        };
  }

  private static String mismatch(String path, String expected, JsonNode got) {
    String where = path.isEmpty() ? "the value" : "field '" + path + "'";
    return where + " must be " + expected + ", got " + kind(got);
  }

  private static String kind(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "the integer " + node.asText();
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isNull()) {
      return "null";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String cap(String reason) {
    return reason.length() <= MAX_REASON_CHARS
        ? reason
        : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
  }
}
