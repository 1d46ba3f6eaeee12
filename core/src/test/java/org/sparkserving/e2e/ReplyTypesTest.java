package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** Each kind of reply column becomes the response a user would expect. */
class ReplyTypesTest extends SparkServingTestBase {

  @Test
  void replyStructSetsStatusHeadersAndBody() {
    serve(
        source("custom")
            .load()
            .withColumn(
                "reply",
                struct(
                    when(col("value").equalTo("missing"), lit(404))
                        .otherwise(lit(201))
                        .as("status"),
                    map(lit("X-Model"), lit("v1"), lit("Content-Type"), lit("text/csv"))
                        .as("headers"),
                    upper(col("value")).as("body"))),
        "reply");
    String url = urlOf("custom");

    HttpResponse<String> created = Http.post(url, "a,b");
    HttpResponse<String> missing = Http.post(url, "missing");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).isEqualTo("A,B");
    assertThat(created.headers().firstValue("x-model")).hasValue("v1");
    assertThat(created.headers().firstValue("content-type")).hasValue("text/csv");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void invalidStatusOrHeaderAnswers500AndServiceKeepsServing() {
    serve(
        source("invalid")
            .load()
            .withColumn(
                "reply",
                struct(
                    when(col("value").equalTo("bad-status"), lit(42))
                        .otherwise(lit(200))
                        .as("status"),
                    map(lit("X-Echo"), col("value")).as("headers"),
                    col("value").as("body"))),
        "reply");
    String url = urlOf("invalid");

    HttpResponse<String> badStatus = Http.post(url, "bad-status");
    HttpResponse<String> badHeader = Http.post(url, "line\nbreak");

    assertThat(badStatus.statusCode()).isEqualTo(500);
    assertThat(badStatus.body()).contains("status 42");
    assertThat(badHeader.statusCode()).isEqualTo(500);
    assertThat(badHeader.body()).contains("not valid HTTP");
    assertThat(Http.post(url, "fine").body()).isEqualTo("fine");
  }

  @Test
  void structReplyIsJson() {
    serve(
        source("json")
            .load()
            .withColumn(
                "reply",
                struct(
                    col("value").as("text"),
                    length(col("value")).as("length"),
                    array(lit(1.5), lit(2.0)).as("scores"),
                    col("request.method").as("method"),
                    struct(lit(true).as("ok")).as("nested"))),
        "reply");

    HttpResponse<String> r = Http.post(urlOf("json"), "he\"llo");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"text\":\"he\\\"llo\",\"length\":6,\"scores\":[1.5,2.0],\"method\":\"POST\","
                + "\"nested\":{\"ok\":true}}");
  }

  @Test
  void scalarBinaryAndNullReplies() {
    serve(
        source("scalars")
            .load()
            .withColumn(
                "reply",
                when(col("value").equalTo("null"), lit(null).cast("string"))
                    .otherwise(col("value"))),
        "reply");
    String url = urlOf("scalars");

    assertThat(Http.post(url, "héllo").body()).isEqualTo("héllo");
    HttpResponse<String> none = Http.post(url, "null");
    assertThat(none.statusCode()).isEqualTo(204);
    assertThat(none.body()).isEmpty();
  }

  @Test
  void requestColumnsReachTheQuery() {
    serve(
        source("echo")
            .load()
            .withColumn(
                "reply",
                struct(
                    col("request.method").as("method"),
                    col("request.path").as("path"),
                    col("request.query").as("query"),
                    col("request.headers").getItem("x-trace").as("trace"),
                    col("id.seq").gt(0).as("hasSeq"))),
        "reply");

    HttpResponse<String> r =
        Http.CLIENT
            .sendAsync(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(urlOf("echo") + "/items/7?verbose=true"))
                    .header("X-Trace", "abc")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("b"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .join();

    assertThat(r.body())
        .isEqualTo(
            "{\"method\":\"PUT\",\"path\":\"/echo/items/7\","
                + "\"query\":\"verbose=true\",\"trace\":\"abc\",\"hasSeq\":true}");
  }
}
