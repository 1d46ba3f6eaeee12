"""Access to the connector's JVM classes through PySpark's py4j gateway."""

from __future__ import annotations

from typing import Any, Optional

from pyspark import SparkContext
from pyspark.sql import Column

try:  # PySpark 4
    from pyspark.sql.classic.column import _to_java_column
except ImportError:  # pragma: no cover - PySpark 3.5
    from pyspark.sql.column import _to_java_column  # type: ignore[attr-defined,no-redef]

__all__ = ["jvm_class", "to_java_column", "from_java_column"]

_MISSING_JAR = (
    "The Spark Serving jar is not on this Spark session's classpath. Start the session with "
    "SparkSession.builder.config(conf=sparkserving.spark_conf()), or pass "
    "--jars <sparkserving.jar_path()> to spark-submit or pyspark."
)


def _gateway_jvm(sc: Optional[SparkContext] = None) -> Any:
    sc = sc or SparkContext._active_spark_context
    if sc is None:
        raise RuntimeError("No SparkContext is running: start a SparkSession first. " + _MISSING_JAR)
    jvm = getattr(sc, "_jvm", None)
    if jvm is None:  # Spark Connect sessions have no py4j gateway
        raise RuntimeError(
            "sparkserving needs a classic (py4j) SparkSession; Spark Connect is not supported."
        )
    return jvm


def jvm_class(name: str, sc: Optional[SparkContext] = None) -> Any:
    """The JVM class ``org.sparkserving.<name>``, or a clear error when the jar is missing."""
    from py4j.java_gateway import JavaClass

    target = _gateway_jvm(sc)
    for part in ("org.sparkserving." + name).split("."):
        target = getattr(target, part)
    if not isinstance(target, JavaClass):
        raise RuntimeError(_MISSING_JAR)
    return target


def to_java_column(col: "Column | str") -> Any:
    """A PySpark column (or a column name) as its JVM ``Column``."""
    return _to_java_column(col)


def from_java_column(jcol: Any) -> Column:
    """A JVM ``Column`` as a PySpark column."""
    return Column(jcol)
