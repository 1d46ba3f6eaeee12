"""The two PySpark programs of the original Spark Serving notes, with their class names and
options; an MLlib pipeline stands in for the long-gone CNTK model."""

import json
import socket
import urllib.parse
import urllib.request

from pyspark.ml import PipelineModel
from pyspark.sql.functions import col, length

import sparkserving

from conftest import checkpoint, post, url_of


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def test_seed_example_one_length_of_value(spark, tmp_path):
    port = free_port()
    # As in the seed, word for word but for the port and the checkpoint directory.
    serving_source = "org.apache.spark.sql.execution.streaming.HTTPSourceProvider"
    serving_sink = "org.apache.spark.sql.execution.streaming.HTTPSinkProvider"
    df = spark.readStream.format(serving_source) \
        .option("host", "localhost") \
        .option("port", port) \
        .option("name", "my_api") \
        .load()
    server = df.withColumn("newCol", length(col("value"))) \
        .writeStream \
        .format(serving_sink) \
        .option("name", "my_api") \
        .queryName("my_query") \
        .option("replyCol", "newCol") \
        .option("checkpointLocation", checkpoint(tmp_path)) \
        .start()

    assert url_of("my_api").endswith(f":{port}/my_api")
    r = post(f"http://localhost:{port}/my_api", "hello world")
    assert (r.status, r.body) == (200, "11")
    assert post(f"http://localhost:{port}/my_api", "").body == "0"
    assert server.name == "my_query" and server.isActive


def test_seed_example_two_saved_model(spark, tmp_path, sentiment_model_path):
    serving_source = "org.apache.spark.sql.execution.streaming.HTTPSourceProvider"
    serving_sink = "org.apache.spark.sql.execution.streaming.HTTPSinkProvider"
    df = spark.readStream.format(serving_source) \
        .option("host", "localhost") \
        .option("port", 0) \
        .option("name", "my_api") \
        .load()
    # In place of CNTKModel.load("file:///path/to/my_cntkmodel.mml"): a saved MLlib pipeline.
    network = PipelineModel.load(sentiment_model_path)
    transformed_df = network.transform(df)
    server = transformed_df \
        .writeStream \
        .format(serving_sink) \
        .option("name", "my_api") \
        .queryName("my_query") \
        .option("replyCol", network.stages[-1].getPredictionCol()) \
        .option("checkpointLocation", checkpoint(tmp_path)) \
        .start()

    url = url_of("my_api")
    assert post(url, "what a great happy day").body == "1.0"
    assert post(url, "awful sad terrible day").body == "0.0"
    assert server.isActive


def test_seed_example_one_with_the_distributed_class_names(spark, tmp_path):
    # The original's distributed deployment: the same program with the Distributed* names, which
    # default mode to distributed (on local Spark the one executor is the driver itself).
    serving_source = "org.apache.spark.sql.execution.streaming.DistributedHTTPSourceProvider"
    serving_sink = "org.apache.spark.sql.execution.streaming.DistributedHTTPSinkProvider"
    df = spark.readStream.format(serving_source) \
        .option("host", "localhost") \
        .option("port", 0) \
        .option("name", "my_dist_api") \
        .load()
    server = df.withColumn("newCol", length(col("value"))) \
        .writeStream \
        .format(serving_sink) \
        .option("name", "my_dist_api") \
        .queryName("my_dist_query") \
        .option("replyCol", "newCol") \
        .option("checkpointLocation", checkpoint(tmp_path)) \
        .start()

    url = url_of("my_dist_api")
    assert post(url, "hello world").body == "11"
    # Only distributed mode runs a registry of its own on the driver, apart from the servers (a
    # head-node service answers registry calls on its own port).
    registry = sparkserving.registry_url("my_dist_api")
    assert urllib.parse.urlsplit(registry).port != urllib.parse.urlsplit(url).port
    with urllib.request.urlopen(registry, timeout=30) as r:
        listing = json.loads(r.read())
    assert listing == {"name": "my_dist_api", "endpoints": [url]}
    assert server.isActive
