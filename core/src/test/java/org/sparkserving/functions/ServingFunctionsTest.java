package org.sparkserving.functions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sparkserving.ServingFunctions.jsonReply;
import static org.sparkserving.ServingFunctions.parseRequest;
import static org.sparkserving.ServingFunctions.reply;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** ServingFunctions end to end: JSON requests in, JSON and reply structs out, over real HTTP. */
class ServingFunctionsTest extends SparkServingTestBase {

  @Test
  void parseRequestServesGoodBodiesAndAnswersBadOnesWith400() {
    Dataset<Row> people = parseRequest(source("people").load(), "name STRING, age INT");
    serve(
        people.withColumn(
            "reply",
            jsonReply(
                struct(
                    upper(col("parsed.name")).as("name"),
                    col("parsed.age").plus(1).as("nextAge")))),
        "reply");
    String url = urlOf("people");

    HttpResponse<String> good = Http.post(url, "{\"name\":\"ann\",\"age\":30,\"extra\":true}");
    HttpResponse<String> truncated = Http.post(url, "{\"name\":\"ann\",");
    HttpResponse<String> wrongType = Http.post(url, "{\"name\":\"ann\",\"age\":\"old\"}");
    HttpResponse<String> array = Http.post(url, "[{\"name\":\"ann\"}]");
    HttpResponse<String> empty = Http.post(url, "");

    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(good.body()).isEqualTo("{\"name\":\"ANN\",\"nextAge\":31}");
    assertThat(good.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(truncated.body())
        .startsWith("{\"error\":\"Bad request: malformed JSON: ")
        .contains("line 1")
        .endsWith("\"status\":400}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("field 'age' must be an integer, got a string");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(array.body()).contains("expected a JSON object, got an array");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("the body is empty");
    // Missing fields are null, as with from_json; the query still serves.
    assertThat(Http.post(url, "{\"name\":\"bo\"}").body())
        .isEqualTo("{\"name\":\"BO\",\"nextAge\":null}");
  }

  @Test
  void badBodiesDoNotDisturbConcurrentGoodOnes() throws Exception {
    serve(
        parseRequest(source("mixed").load(), "n LONG")
            .withColumn("reply", jsonReply(col("parsed.n").multiply(2))),
        "reply");
    String url = urlOf("mixed");

    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(Http.postAsync(url, i % 3 == 0 ? "{\"n\": " + i : "{\"n\": " + i + "}"));
    }
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> r = sent.get(i).get(120, TimeUnit.SECONDS);
      if (i % 3 == 0) {
        assertThat(r.statusCode()).as("request %d", i).isEqualTo(400);
        assertThat(r.body()).as("request %d", i).contains("malformed JSON");
      } else {
        assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
        assertThat(r.body()).as("request %d", i).isEqualTo(Long.toString(2L * i));
      }
    }
  }

  @Test
  void parseRequestAnswersBadJsonInDistributedModeAfterAShuffle() {
    Dataset<Row> requests = source("dist_json").option("mode", "distributed").load();
    serve(
        parseRequest(requests.repartition(3), "n INT")
            .withColumn("reply", jsonReply(col("parsed.n").plus(1))),
        "reply");
    String url = urlOf("dist_json");

    assertThat(Http.post(url, "{\"n\": 41}").body()).isEqualTo("42");
    HttpResponse<String> bad = Http.post(url, "{\"n\": \"x\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("field 'n' must be an integer, got a string");
    assertThat(Http.post(url, "{\"n\": 1}").body()).isEqualTo("2");
  }

  @Test
  void parseRequestReadsNestedTypesAndBinaryBodies() {
    serve(
        parseRequest(
                source("nested").load(),
                org.apache.spark.sql.types.StructType.fromDDL(
                    "tags ARRAY<STRING>, point STRUCT<x: DOUBLE, y: DOUBLE>"),
                "request.body",
                "id",
                "in")
            .withColumn("reply", jsonReply(struct(col("in.point.x"), col("in.tags")))),
        "reply");
    String url = urlOf("nested");

    assertThat(Http.post(url, "{\"tags\":[\"a\",\"b\"],\"point\":{\"x\":1.5,\"y\":2}}").body())
        .isEqualTo("{\"x\":1.5,\"tags\":[\"a\",\"b\"]}");
    HttpResponse<String> bad = Http.post(url, "{\"tags\":[\"a\"],\"point\":{\"x\":\"far\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("field 'point.x' must be a number, got a string");
  }

  @Test
  void replySetsStatusAndHeaders() {
    serve(
        source("status")
            .load()
            .withColumn(
                "reply",
                when(
                        col("value").equalTo("missing"),
                        reply(lit("not here"), lit(404), map(lit("X-Why"), lit("absent"))))
                    .otherwise(reply(upper(col("value")), 201, Map.of("X-Model", "v1")))),
        "reply");
    String url = urlOf("status");

    HttpResponse<String> created = Http.post(url, "abc");
    HttpResponse<String> missing = Http.post(url, "missing");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).isEqualTo("ABC");
    assertThat(created.headers().firstValue("x-model")).hasValue("v1");
    assertThat(created.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("not here");
    assertThat(missing.headers().firstValue("x-why")).hasValue("absent");
  }

  @Test
  void jsonReplyWritesScalarsAsJsonAndLetsAContentTypeHeaderWin() {
    serve(
        source("scalars")
            .load()
            .withColumn(
                "reply",
                when(col("value").equalTo("length"), jsonReply(length(col("value"))))
                    .when(
                        col("value").equalTo("custom"),
                        jsonReply(
                            col("value"), 202, Map.of("content-type", "application/vnd.x+json")))
                    .when(col("value").equalTo("null"), jsonReply(lit(null).cast("string"), 404))
                    .otherwise(jsonReply(col("value")))),
        "reply");
    String url = urlOf("scalars");

    HttpResponse<String> number = Http.post(url, "length");
    HttpResponse<String> text = Http.post(url, "say \"hi\"");
    HttpResponse<String> custom = Http.post(url, "custom");
    HttpResponse<String> nothing = Http.post(url, "null");

    assertThat(number.body()).isEqualTo("6");
    assertThat(number.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(text.body()).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(custom.statusCode()).isEqualTo(202);
    assertThat(custom.body()).isEqualTo("\"custom\"");
    assertThat(custom.headers().firstValue("content-type")).hasValue("application/vnd.x+json");
    assertThat(nothing.statusCode()).isEqualTo(404);
    assertThat(nothing.body()).isEqualTo("null");
  }

  @Test
  void parseRequestRefusesClashingOrMissingColumns() {
    Dataset<Row> requests = source("refused").load();

    assertThatThrownBy(() -> parseRequest(requests.withColumn("parsed", lit(1)), "a INT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'parsed'");
    assertThatThrownBy(
            () ->
                parseRequest(
                    requests,
                    org.apache.spark.sql.types.StructType.fromDDL("a INT"),
                    "value",
                    "id",
                    "value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already have a column");
    assertThatThrownBy(
            () ->
                parseRequest(
                    requests,
                    org.apache.spark.sql.types.StructType.fromDDL("a INT"),
                    "nobody",
                    "id",
                    "parsed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No column 'nobody'");
    assertThatThrownBy(
            () ->
                parseRequest(
                    requests,
                    "{\"type\":\"array\",\"elementType\":\"integer\",\"containsNull\":true}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a struct");
  }
}
