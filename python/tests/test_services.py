"""Several services at once, and a clean stop: waiting clients get 503 and the port is freed."""

import json
import socket
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyspark.sql import functions as F

import sparkserving
from conftest import checkpoint, post, url_of, wait_until


def test_two_services_at_once(spark, tmp_path):
    queries = {}
    for name, transform in (("upper", F.upper), ("reverse", F.reverse)):
        queries[name] = spark.readStream.format("serving").option("name", name).option("port", 0).load() \
            .withColumn("reply", transform("value")) \
            .writeStream.format("serving").option("name", name) \
            .option("checkpointLocation", checkpoint(tmp_path, name)).start()
    upper_url, reverse_url = url_of("upper"), url_of("reverse")
    assert upper_url != reverse_url
    listing = json.loads(urllib.request.urlopen(sparkserving.registry_url("upper"), timeout=10).read())
    assert listing == {"name": "upper", "endpoints": [upper_url]}
    assert sparkserving.registry_url("no-such-service") is None

    def call(i):
        body = f"request-{i}"
        url, expected = (upper_url, body.upper()) if i % 2 else (reverse_url, body[::-1])
        r = post(url, body)
        return (r.status, r.body) == (200, expected)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(call, range(40)))

    # Stopping one leaves the other serving.
    queries["upper"].stop()
    wait_until(lambda: sparkserving.endpoints("upper") == [], "upper stopped")
    assert post(reverse_url, "abc").body == "cba"


def test_stop_answers_waiting_clients_503_and_frees_the_port(spark, tmp_path):
    query = spark.readStream.format("serving").option("name", "held").option("port", 0).load() \
        .where(F.col("value") != "hold") \
        .withColumn("reply", F.col("value")) \
        .writeStream.format("serving").option("checkpointLocation", checkpoint(tmp_path)).start()
    url = url_of("held")
    port = urllib.parse.urlsplit(url).port
    assert post(url, "served").body == "served"

    answers = []
    clients = [threading.Thread(target=lambda: answers.append(post(url, "hold"))) for _ in range(3)]
    for c in clients:
        c.start()
    servers = spark.sparkContext._jvm.org.sparkserving.http.HttpServers
    wait_until(
        lambda: any(e.pending() == 3 for e in servers.liveEndpoints()), "3 clients waiting", 30
    )

    query.stop()
    for c in clients:
        c.join(30)
    assert [a.status for a in answers] == [503, 503, 503]
    assert all("stopped" in json.loads(a.body)["error"] for a in answers)
    assert sparkserving.endpoints("held") == []
    # The port is free again: nothing listens there, and a new server can take it. (SO_REUSEADDR,
    # as servers set it, because the closed connections linger in TIME_WAIT.)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("localhost", port), timeout=5).close()
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("localhost", port))
        s.listen()
