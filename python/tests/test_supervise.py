"""A supervised service survives a poison request: 500 for it, then the same URL serves again."""

import json

import pytest
from pyspark.sql import functions as F

import sparkserving
from conftest import checkpoint, post, url_of


def test_supervise_restarts_the_query_a_poison_request_failed(spark, tmp_path):
    ansi = spark.conf.get("spark.sql.ansi.enabled")
    spark.conf.set("spark.sql.ansi.enabled", "true")
    try:
        writer = (
            spark.readStream.format("serving").option("name", "doubler").option("port", 0).load()
            .withColumn("reply", (F.col("value").cast("int") * 2).cast("string"))
            .writeStream.format("serving")
            .option("checkpointLocation", checkpoint(tmp_path))
        )
        with pytest.raises(Exception, match="Invalid value '-1' for option 'maxRestarts'"):
            sparkserving.supervise(writer, max_restarts=-1)

        handle = sparkserving.supervise(writer, max_restarts=3, restart_backoff=0.2)
        url = url_of("doubler")
        assert post(url, "21").body == "42"

        poisoned = post(url, "not-a-number")

        assert poisoned.status == 500
        error = json.loads(poisoned.body)["error"]
        assert "The query serving 'doubler' failed while processing this request" in error
        assert "CAST_INVALID_INPUT" not in error and "not-a-number" not in error
        # The restarted query adopted the same server: the same URL answers.
        assert post(url, "5").body == "10"
        assert handle.restarts == 1
        assert "CAST_INVALID_INPUT" in handle.last_failure
        assert handle.is_active and handle.query.isActive
        handle.stop()
        assert not handle.is_active
        assert sparkserving.endpoints("doubler") == []
    finally:
        spark.conf.set("spark.sql.ansi.enabled", ansi)
