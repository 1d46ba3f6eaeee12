"""parse_request, reply and json_reply over real HTTP: good input, bad input, status, headers."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

import sparkserving
from sparkserving import json_reply, parse_request, reply
from conftest import checkpoint, post, url_of


def serve(df, tmp_path, reply_col="reply"):
    return (
        df.writeStream.format("serving")
        .option("replyCol", reply_col)
        .option("checkpointLocation", checkpoint(tmp_path))
        .start()
    )


def source(spark, name):
    return spark.readStream.format("serving").option("name", name).option("port", 0).load()


def test_parse_request_serves_good_json_and_answers_bad_json_with_400(spark, tmp_path):
    schema = StructType([StructField("name", StringType()), StructField("age", IntegerType())])
    people = parse_request(source(spark, "people"), schema)
    serve(
        people.withColumn(
            "reply",
            json_reply(
                F.struct(
                    F.upper("parsed.name").alias("name"),
                    (F.col("parsed.age") + 1).alias("nextAge"),
                )
            ),
        ),
        tmp_path,
    )
    url = url_of("people")

    good = post(url, '{"name": "ann", "age": 30, "ignored": [1]}')
    assert good.status == 200
    assert json.loads(good.body) == {"name": "ANN", "nextAge": 31}
    assert good.header("content-type") == "application/json"

    truncated = post(url, '{"name": "ann", ')
    assert truncated.status == 400
    error = json.loads(truncated.body)
    assert error["status"] == 400
    assert error["error"].startswith("Bad request: malformed JSON: ")
    assert "line 1" in error["error"]

    wrong_type = post(url, '{"name": "ann", "age": "thirty"}')
    assert wrong_type.status == 400
    assert "field 'age' must be an integer, got a string" in json.loads(wrong_type.body)["error"]

    not_object = post(url, '["ann", 30]')
    assert not_object.status == 400
    assert "expected a JSON object, got an array" in not_object.body

    # The query carried on: good requests are still served, missing fields are null.
    assert json.loads(post(url, '{"name": "bo"}').body) == {"name": "BO", "nextAge": None}


def test_bad_json_does_not_disturb_other_clients(spark, tmp_path):
    serve(
        parse_request(source(spark, "double"), "n BIGINT").withColumn(
            "reply", json_reply(F.col("parsed.n") * 2)
        ),
        tmp_path,
    )
    url = url_of("double")

    def call(i):
        body = '{"n": %d' % i if i % 3 == 0 else '{"n": %d}' % i
        return i, post(url, body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, range(40)))
    for i, r in results:
        if i % 3 == 0:
            assert r.status == 400, (i, r)
            assert "malformed JSON" in r.body
        else:
            assert (r.status, r.body) == (200, str(2 * i)), (i, r)


def test_parse_request_with_ddl_schema_binary_body_and_own_column(spark, tmp_path):
    parsed = parse_request(
        source(spark, "points"),
        "tags ARRAY<STRING>, point STRUCT<x: DOUBLE, y: DOUBLE>",
        body_col="request.body",
        into="json",
    )
    assert "json" in parsed.columns and "value" in parsed.columns
    serve(parsed.withColumn("reply", json_reply(F.struct("json.point.x", "json.tags"))), tmp_path)
    url = url_of("points")

    assert json.loads(post(url, '{"tags": ["a"], "point": {"x": 1.5, "y": 2}}').body) == {
        "x": 1.5,
        "tags": ["a"],
    }
    bad = post(url, '{"point": {"x": "far"}}')
    assert bad.status == 400
    assert "field 'point.x' must be a number, got a string" in bad.body


def test_parse_request_refuses_a_clashing_column(spark):
    from pyspark.errors import IllegalArgumentException

    with pytest.raises(IllegalArgumentException, match="already have a column"):
        parse_request(source(spark, "clash"), "a INT", into="value")


def test_reply_struct_with_status_and_headers(spark, tmp_path):
    requests = source(spark, "status")
    serve(
        requests.withColumn(
            "reply",
            F.when(
                F.col("value") == "missing",
                reply(F.lit("not here"), status=404, headers={"X-Why": "absent"}),
            ).otherwise(
                reply(
                    F.upper("value"),
                    status=F.lit(201),
                    headers={"X-Model": "v1", "Content-Type": "text/csv"},
                )
            ),
        ),
        tmp_path,
    )
    url = url_of("status")

    created = post(url, "a,b")
    assert (created.status, created.body) == (201, "A,B")
    assert created.header("x-model") == "v1"
    assert created.header("content-type") == "text/csv"
    missing = post(url, "missing")
    assert (missing.status, missing.body) == (404, "not here")
    assert missing.header("x-why") == "absent"


def test_reply_with_only_a_body_is_200(spark, tmp_path):
    serve(source(spark, "plain").withColumn("reply", reply("value")), tmp_path)
    r = post(url_of("plain"), "echo")
    assert (r.status, r.body) == (200, "echo")
    assert r.header("content-type") == "text/plain; charset=UTF-8"


def test_json_reply_writes_any_value_as_json(spark, tmp_path):
    v = F.col("value")
    serve(
        source(spark, "scalars").withColumn(
            "reply",
            F.when(v == "length", json_reply(F.length(v)))
            .when(v == "map", json_reply(F.create_map(v, F.lit(1)), status=202))
            .when(v == "custom", json_reply(v, headers={"content-type": "application/vnd.x+json"}))
            .otherwise(json_reply(v)),
        ),
        tmp_path,
    )
    url = url_of("scalars")

    assert post(url, "length").body == "6"
    mapped = post(url, "map")
    assert (mapped.status, json.loads(mapped.body)) == (202, {"map": 1})
    quoted = post(url, 'say "hi"')
    assert json.loads(quoted.body) == 'say "hi"'
    assert quoted.header("content-type") == "application/json"
    assert post(url, "custom").header("content-type") == "application/vnd.x+json"


def test_helpers_reject_wrong_argument_types():
    with pytest.raises(TypeError):
        sparkserving.functions._status("200")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sparkserving.functions._headers({"X-Count": 1})  # type: ignore[dict-item]
