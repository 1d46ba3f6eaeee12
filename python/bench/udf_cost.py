"""What a Python UDF costs a serving query: sequential request latency through a micro-batch query
whose reply is computed in the JVM (``upper(value)``) versus by a trivial Python UDF
(``lambda s: s.upper()``), same session, same client.

    python/.venv/bin/python python/bench/udf_cost.py [--requests 300] [--warmup 30] [--out FILE]

Needs the package installed (dev/test-python does it). Prints a Markdown table; --out also writes
it to a file. One client, one keep-alive connection, requests one after another.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import statistics
import tempfile
import time
import urllib.parse
from typing import Callable, Dict, List

from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType

import sparkserving


def percentile(sorted_ms: List[float], p: float) -> float:
    i = min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[i]


def start(spark: SparkSession, name: str, reply: Callable[[Column], Column], continuous: bool):
    checkpoint = tempfile.mkdtemp(prefix=f"udf-cost-{name}-")
    writer = (
        spark.readStream.format("serving").option("name", name).option("port", 0).load()
        .withColumn("reply", reply(F.col("value")))
        .writeStream.format("serving").option("checkpointLocation", checkpoint)
    )
    if continuous:
        writer = writer.trigger(continuous="1 second")
    return writer.start()


def measure(urls: Dict[str, str], warmup: int, n: int) -> Dict[str, List[float]]:
    """Alternates requests between the services, so that both see the same machine."""
    conns = {}
    for label, url in urls.items():
        parts = urllib.parse.urlsplit(url)
        conns[label] = (http.client.HTTPConnection(parts.hostname, parts.port, timeout=60), parts.path)
    latencies: Dict[str, List[float]] = {label: [] for label in urls}
    try:
        for i in range(warmup + n):
            for label, (conn, path) in conns.items():
                body = f"request number {i}"
                t0 = time.perf_counter()
                conn.request("POST", path, body=body.encode())
                r = conn.getresponse()
                got = r.read().decode()
                elapsed = (time.perf_counter() - t0) * 1000
                if r.status != 200 or got != body.upper():
                    raise AssertionError(f"wrong reply to {body!r}: {r.status} {got!r}")
                if i >= warmup:
                    latencies[label].append(elapsed)
    finally:
        for conn, _ in conns.values():
            conn.close()
    return {label: sorted(ms) for label, ms in latencies.items()}


def summary(ms: List[float]) -> Dict[str, float]:
    return {
        "p50": percentile(ms, 50),
        "p90": percentile(ms, 90),
        "p99": percentile(ms, 99),
        "mean": statistics.fmean(ms),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--continuous-requests", type=int, default=40)
    ap.add_argument("--out")
    args = ap.parse_args()

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("udf-cost")
        .config(conf=sparkserving.spark_conf())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    python_upper = F.udf(lambda s: s.upper(), StringType())
    services = {
        "`upper(value)`": ("jvm", F.upper),
        "`udf(lambda s: s.upper())`": ("pyudf", python_upper),
    }
    rows: Dict[str, Dict[str, float]] = {}
    try:
        for trigger, continuous, warmup, n in (
            ("micro-batch", False, args.warmup, args.requests),
            ("continuous", True, 5, args.continuous_requests),
        ):
            queries = [start(spark, f"{name}-{trigger}", reply, continuous)
                       for name, reply in services.values()]
            urls = {
                f"{trigger}, {label}": sparkserving.await_endpoints(f"{name}-{trigger}", 60)[0]
                for label, (name, _) in services.items()
            }
            for label, ms in measure(urls, warmup, n).items():
                rows[label] = summary(ms)
            for q in queries:
                q.stop()
    finally:
        spark.stop()

    jvm, py, cjvm, cpy = rows.values()
    lines = [
        f"# Python UDF cost ({datetime.date.today().isoformat()})",
        "",
        "Sequential POSTs from one keep-alive client per service, alternating between a service"
        " whose reply is computed in the JVM and one whose reply is a Python UDF (both queries"
        " run at once in one session, so both see the same machine); head-node, default settings,"
        f" local[2], Spark {spark.version}, Python UDFs pickled (no PyArrow installed);"
        f" micro-batch: {args.requests} requests each after {args.warmup} warm-up; continuous"
        f" (`Trigger.Continuous(\"1 second\")`): {args.continuous_requests} each after 5;"
        f" Python {platform.python_version()}, {os.cpu_count()} cores.",
        "",
        "| trigger, reply | p50 ms | p90 ms | p99 ms | mean ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, r in rows.items():
        lines.append(f"| {label} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['mean']:.1f} |")
    lines += [
        "",
        f"A trivial Python UDF adds {py['p50'] - jvm['p50']:.1f} ms to the median request"
        f" under micro-batches ({py['mean'] - jvm['mean']:.1f} ms to the mean), and"
        f" {cpy['p50'] - cjvm['p50']:.1f} ms under continuous processing.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
