"""Spark Serving for PySpark: turn a Structured Streaming query into a web service.

The connector jar ships inside this package. Add it to a session, then use the ``serving``
format for both ends of a streaming query::

    from pyspark.sql import SparkSession
    from pyspark.sql.functions import col, length
    import sparkserving

    spark = SparkSession.builder.config(conf=sparkserving.spark_conf()).getOrCreate()
    requests = spark.readStream.format("serving").option("name", "my_api") \\
        .option("port", 8888).load()
    query = requests.withColumn("reply", length(col("value"))).writeStream \\
        .format("serving").option("name", "my_api").option("replyCol", "reply") \\
        .option("checkpointLocation", "/tmp/my_api").start()
    # curl -d 'hello' http://localhost:8888/my_api   ->  5

Each request is a row: ``id`` (struct<origin, seq>), ``value`` (the body as text) and
``request`` (struct<method, path, query, headers, body>). The sink answers each row's request
with its reply column.

Contents:
    jar_path, spark_conf       the bundled jar, for ``--jars`` or a session's configuration
    parse_request              JSON bodies into columns; bad JSON answers 400 with the reason
    reply, json_reply          reply structs with status and headers; JSON replies
    endpoints, await_endpoints the URLs of a running service (e.g. after port 0)
    registry_url               where the driver lists a service's URLs as JSON
    supervise                  start a query and restart it on its checkpoint when it fails

These call the JVM functions of ``org.sparkserving.ServingFunctions`` and
``org.sparkserving.Serving`` through py4j, so they need a classic (non-Connect) SparkSession,
and no Python runs per request.
"""

from sparkserving._jar import jar_path, spark_conf
from sparkserving.functions import PARSED_COL, json_reply, parse_request, reply
from sparkserving.service import await_endpoints, endpoints, registry_url
from sparkserving.supervise import SupervisedQuery, supervise

__version__ = "0.1.0.dev0"

SERVING_FORMAT = "serving"
"""The short name of the source and sink: ``readStream.format("serving")``."""

__all__ = [
    "SERVING_FORMAT",
    "PARSED_COL",
    "jar_path",
    "spark_conf",
    "parse_request",
    "reply",
    "json_reply",
    "endpoints",
    "await_endpoints",
    "registry_url",
    "supervise",
    "SupervisedQuery",
]
