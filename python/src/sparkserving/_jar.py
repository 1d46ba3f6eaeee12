"""Where the bundled connector jar is, and how a SparkSession gets it."""

from __future__ import annotations

import glob
import os
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    from pyspark import SparkConf

_JAR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")


def jar_path() -> str:
    """The absolute path of the Spark Serving connector jar shipped inside this package.

    Pass it to ``spark-submit --jars`` or ``pyspark --jars``, or set it as ``spark.jars``
    (which is what :func:`spark_conf` does)::

        spark-submit --jars "$(python -c 'import sparkserving; print(sparkserving.jar_path())')" app.py

    Raises:
        FileNotFoundError: the package was installed without its jar (built from a source tree
            whose ``core`` module was never packaged: run ``dev/test-python`` or
            ``mvn -pl core package`` and copy the jar into ``python/src/sparkserving/jars``).
    """
    jars = sorted(
        j for j in glob.glob(os.path.join(_JAR_DIR, "spark-serving-*.jar")) if not j.endswith("-tests.jar")
    )
    if not jars:
        raise FileNotFoundError(
            "The Spark Serving jar is missing from " + _JAR_DIR + ": this copy of the package was "
            "built without it. Build it with dev/test-python (or `mvn -pl core package` and copy "
            "core/target/spark-serving-<version>.jar there) and reinstall."
        )
    return jars[-1]


def spark_conf(conf: Optional["SparkConf"] = None) -> "SparkConf":
    """A ``SparkConf`` that puts the connector jar on the session's classpath (``spark.jars``).

    Use it before the session starts; a running JVM does not pick up new jars::

        spark = SparkSession.builder.config(conf=sparkserving.spark_conf()).getOrCreate()

    Args:
        conf: a configuration to extend; its ``spark.jars`` are kept and the jar is added to them.
            A new ``SparkConf`` when omitted.

    Returns:
        ``conf`` (or the new configuration) with the jar in ``spark.jars``.
    """
    from pyspark import SparkConf

    if conf is None:
        conf = SparkConf()
    jar = jar_path()
    existing = [j for j in (conf.get("spark.jars") or "").split(",") if j.strip()]
    if jar not in existing:
        existing.append(jar)
    conf.set("spark.jars", ",".join(existing))
    return conf
