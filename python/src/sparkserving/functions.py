"""JSON requests and replies for serving queries: the Python face of
``org.sparkserving.ServingFunctions``.

Every function here builds a Spark plan through py4j and returns at once. The work per request
is done by the JVM: no Python runs on the request path (unless your own query adds a Python UDF).

=====================================  ==================================================
Python (``sparkserving``)              Java (``org.sparkserving.ServingFunctions``)
=====================================  ==================================================
``parse_request(df, schema)``          ``parseRequest(df, schema)``
``parse_request(df, s, body_col,       ``parseRequest(df, s, bodyCol, idCol, into)``
id_col, into)``
``reply(body, status, headers)``       ``reply(body, status, headers)``
``json_reply(value, status, headers)`` ``jsonReply(value, status, headers)``
``PARSED_COL``                         ``PARSED_COL``
=====================================  ==================================================
"""

from __future__ import annotations

from typing import Mapping, Optional, Union

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from sparkserving._jvm import from_java_column, jvm_class, to_java_column

__all__ = ["PARSED_COL", "parse_request", "reply", "json_reply"]

ColumnOrName = Union[Column, str]
"""A column, or the name of one (as everywhere in PySpark: use ``lit("text")`` for a literal)."""

PARSED_COL = "parsed"
"""The column :func:`parse_request` adds unless told otherwise."""


def parse_request(
    requests: DataFrame,
    schema: Union[StructType, str],
    body_col: str = "value",
    id_col: str = "id",
    into: str = PARSED_COL,
) -> DataFrame:
    """Parse each request's body as a JSON object of ``schema``, into a new struct column.

    A body that is not JSON, not a JSON object, or has a field of the wrong type is answered at
    once with HTTP 400 and a JSON body giving the reason, for example::

        {"error":"Bad request: field 'age' must be an integer, got a string","status":400}

    and its row is dropped; the query and every other client carry on. As with Spark's
    ``from_json``, fields the schema does not name are ignored and missing fields are null.

    Example::

        people = parse_request(spark.readStream.format("serving").option("name", "hi").load(),
                               "name STRING, age INT")
        replies = people.withColumn("reply", json_reply(F.struct(F.upper("parsed.name"))))

    Args:
        requests: rows of the ``serving`` source (they need the ``id`` and body columns).
        schema: a ``StructType``, or a DDL string such as ``"name STRING, age INT"``.
        body_col: the column holding the body: ``value`` (string) or ``request.body`` (binary).
        id_col: the request id column as the source produced it.
        into: the name of the new struct column; it must not exist yet.

    Returns:
        The rows whose body parses, with their original columns and ``into``.

    Raises:
        pyspark.errors.IllegalArgumentException: a named column is missing, ``into`` already
            exists, or the schema is not a struct.
    """
    schema_text = schema.json() if isinstance(schema, StructType) else str(schema)
    functions = jvm_class("ServingFunctions")
    jdf = functions.parseRequest(requests._jdf, schema_text, body_col, id_col, into)
    return DataFrame(jdf, requests.sparkSession)


def reply(
    body: ColumnOrName,
    status: Union[int, Column, None] = None,
    headers: Union[Mapping[str, str], Column, None] = None,
) -> Column:
    """A reply struct ``struct<status: int, headers: map<string,string>, body>``.

    Written to the ``serving`` sink as the reply column, it answers with that status and those
    headers; the body is sent as any reply column is (a string as text, binary as bytes, a
    struct, map or array as JSON). A ``Content-Type`` among the headers wins.

    Example::

        df.withColumn("reply", reply(F.upper("value"), status=201, headers={"X-Model": "v1"}))
        df.withColumn("reply", F.when(F.col("value") == "", reply(F.lit("empty"), 422))
                                .otherwise(reply("value")))

    Args:
        body: the body column (or its name).
        status: an HTTP status from 100 to 599 (another answers 500), or a column of them;
            200 when omitted.
        headers: a dict of header names to values, or a ``map<string,string>`` column; none
            when omitted.
    """
    functions = jvm_class("ServingFunctions")
    jbody = to_java_column(body)
    if headers is None:
        return from_java_column(functions.reply(jbody, to_java_column(_status(status))))
    return from_java_column(
        functions.reply(jbody, to_java_column(_status(status)), to_java_column(_headers(headers)))
    )


def json_reply(
    value: ColumnOrName,
    status: Union[int, Column, None] = None,
    headers: Union[Mapping[str, str], Column, None] = None,
) -> Column:
    """A reply struct whose body is ``value`` written as JSON, ``Content-Type: application/json``.

    Any value works: a struct or map becomes an object, an array an array, a number, string or
    boolean a JSON scalar (``42``, ``"text"``, ``true``), null ``null``. Null fields are written
    as ``null``. A ``Content-Type`` among ``headers`` replaces ``application/json``.

    Example::

        scored.withColumn("reply", json_reply(F.struct("prediction", "label")))
        df.withColumn("reply", json_reply(F.length("value"), status=202))

    Args:
        value: the column (or its name) to send as JSON.
        status: as for :func:`reply`; 200 when omitted.
        headers: as for :func:`reply`.
    """
    functions = jvm_class("ServingFunctions")
    return from_java_column(
        functions.jsonReply(
            to_java_column(value),
            to_java_column(_status(status)),
            to_java_column(_headers(headers or {})),
        )
    )


def _status(status: Union[int, Column, None]) -> Column:
    if status is None:
        return F.lit(200)
    if isinstance(status, Column):
        return status
    if isinstance(status, bool) or not isinstance(status, int):
        raise TypeError(f"status must be an int or a Column, not {type(status).__name__}")
    return F.lit(status)


def _headers(headers: Union[Mapping[str, str], Column]) -> Column:
    if isinstance(headers, Column):
        return headers
    parts = []
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("headers must map str to str")
        parts += [F.lit(name), F.lit(value)]
    return F.create_map(*parts)
