"""One local SparkSession for the whole run, real HTTP helpers, and cleanup after each test."""

from __future__ import annotations

import http.client
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, Optional

import pytest
from pyspark.sql import SparkSession

import sparkserving


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[4]")
        .appName("sparkserving-python-tests")
        .config(conf=sparkserving.spark_conf())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def stop_queries(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stops every streaming query a test left running and waits until every server closed."""
    yield
    if "spark" not in request.fixturenames:
        return
    session: SparkSession = request.getfixturevalue("spark")
    for query in session.streams.active:
        query.stop()
    servers = session.sparkContext._jvm.org.sparkserving.http.HttpServers
    wait_until(lambda: servers.liveEndpoints().isEmpty(), "every server closed", timeout=30)


def wait_until(condition: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    """Polls ``condition`` until it is true, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {what}")
        time.sleep(0.01)


@dataclass
class Response:
    status: int
    body: str
    headers: Dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())


def post(url: str, body: str, timeout: float = 90.0) -> Response:
    """POSTs ``body`` to ``url`` over a fresh connection and returns whatever status came back."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", parts.path or "/", body=body.encode("utf-8"))
        r = conn.getresponse()
        data = r.read().decode("utf-8")
        return Response(r.status, data, {k.lower(): v for k, v in r.getheaders()})
    finally:
        conn.close()


def url_of(name: str) -> str:
    """The URL of service ``name`` once its query's stream is up."""
    return sparkserving.await_endpoints(name, timeout=60)[0]


def checkpoint(tmp_path, name: str = "checkpoint") -> str:
    path = tmp_path / name
    return "file://" + str(path)


def expected_spark_version() -> Optional[str]:
    return os.environ.get("SERVING_EXPECTED_SPARK_VERSION")


TRAINING = [
    ("a great happy day", 1.0),
    ("happy great work", 1.0),
    ("what a lovely great result", 1.0),
    ("so happy and glad", 1.0),
    ("an awful sad day", 0.0),
    ("terrible awful work", 0.0),
    ("what a sad terrible result", 0.0),
    ("so bad and awful", 0.0),
]


@pytest.fixture(scope="session")
def sentiment_model_path(spark, tmp_path_factory) -> str:
    """A Tokenizer -> HashingTF -> LogisticRegression pipeline on the text column ``value``,
    trained on a few rows and saved; tests load it as a user would."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import HashingTF, Tokenizer

    train = spark.createDataFrame(TRAINING, ["value", "label"])
    pipeline = Pipeline(
        stages=[
            Tokenizer(inputCol="value", outputCol="words"),
            HashingTF(inputCol="words", outputCol="features", numFeatures=1 << 10),
            LogisticRegression(maxIter=50, regParam=0.01),
        ]
    )
    path = str(tmp_path_factory.mktemp("model") / "sentiment")
    pipeline.fit(train).write().overwrite().save(path)
    return path
