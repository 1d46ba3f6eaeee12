package org.sparkserving.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Reasons for rejected bodies, without Spark. */
class JsonDiagnosisTest {

  private static final StructType SCHEMA =
      StructType.fromDDL(
          "name STRING, age INT, small TINYINT, score DOUBLE, ok BOOLEAN, tags ARRAY<INT>,"
              + " attrs MAP<STRING, LONG>, inner STRUCT<x: INT>");

  private static String reason(String body) {
    return JsonDiagnosis.reason(body, SCHEMA);
  }

  @Test
  void syntaxErrorsNameTheProblemAndWhere() {
    // Jackson's column count differs by a character between versions (Spark 3.5 and 4.2).
    assertThat(reason("{\"name\": }"))
        .startsWith("malformed JSON: Unexpected character ('}'")
        .containsPattern("\\(line 1, column 1[01]\\)$");
    assertThat(reason("{\"a\":1,\n\"b\"")).startsWith("malformed JSON: ").contains("line 2");
    assertThat(reason("not json")).startsWith("malformed JSON: ");
  }

  @Test
  void emptyAndNonObjectBodies() {
    assertThat(reason("")).isEqualTo("the body is empty; expected a JSON object");
    assertThat(reason("  \n")).isEqualTo("the body is empty; expected a JSON object");
    assertThat(reason("[1]")).isEqualTo("expected a JSON object, got an array");
    assertThat(reason("42")).isEqualTo("expected a JSON object, got the integer 42");
    assertThat(reason("null")).isEqualTo("expected a JSON object, got null");
  }

  @Test
  void typeMismatchesNameTheField() {
    assertThat(reason("{\"age\": \"old\"}"))
        .isEqualTo("field 'age' must be an integer, got a string");
    assertThat(reason("{\"age\": 1.5}"))
        .isEqualTo("field 'age' must be an integer, got the number 1.5");
    assertThat(reason("{\"small\": 300}"))
        .isEqualTo("field 'small' must be an integer from -128 to 127, got 300");
    assertThat(reason("{\"score\": true}"))
        .isEqualTo("field 'score' must be a number, got a boolean");
    assertThat(reason("{\"ok\": 1}"))
        .isEqualTo("field 'ok' must be true or false, got the integer 1");
    assertThat(reason("{\"tags\": [1, \"x\"]}"))
        .isEqualTo("field 'tags[1]' must be an integer, got a string");
    assertThat(reason("{\"attrs\": {\"k\": []}}"))
        .isEqualTo("field 'attrs.k' must be an integer, got an array");
    assertThat(reason("{\"inner\": {\"x\": {}}}"))
        .isEqualTo("field 'inner.x' must be an integer, got an object");
  }

  @Test
  void acceptableValuesGiveTheGenericReason() {
    assertThat(reason("{\"name\": 5, \"score\": \"NaN\", \"age\": null}"))
        .startsWith("the JSON object does not match the schema struct<");
  }

  @Test
  void longReasonsAreCut() {
    String longKey = "k".repeat(1000);
    assertThat(reason("{\"attrs\": {\"" + longKey + "\": \"x\"}}")).hasSize(300).endsWith("...");
  }
}
