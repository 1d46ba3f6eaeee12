"""The installed package: the bundled jar, the session configuration, and useful help()."""

import os
import pydoc
import zipfile

import pytest

import sparkserving
from conftest import expected_spark_version


def test_wheel_bundles_the_connector_jar():
    jar = sparkserving.jar_path()
    assert os.path.isabs(jar) and jar.endswith(".jar")
    # Installed from the wheel: the jar lives in the installed package, not in the source tree.
    assert os.path.dirname(os.path.dirname(jar)) == os.path.dirname(sparkserving.__file__)
    assert "site-packages" in jar
    with zipfile.ZipFile(jar) as z:
        names = set(z.namelist())
    assert "org/sparkserving/ServingFunctions.class" in names
    assert "org/apache/spark/sql/execution/streaming/HTTPSourceProvider.class" in names
    assert "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister" in names


def test_spark_conf_adds_the_jar_and_keeps_other_jars():
    from pyspark import SparkConf

    conf = sparkserving.spark_conf(SparkConf(loadDefaults=False).set("spark.jars", "/x/other.jar"))
    assert conf.get("spark.jars") == "/x/other.jar," + sparkserving.jar_path()
    # Idempotent.
    assert sparkserving.spark_conf(conf).get("spark.jars") == conf.get("spark.jars")


def test_session_runs_the_pinned_spark_with_the_jar_loaded(spark):
    expected = expected_spark_version()
    if expected:
        assert spark.version == expected
    assert sparkserving.endpoints("nothing-here") == []


def test_a_class_missing_from_the_jvm_names_the_fix(spark):
    from sparkserving._jvm import jvm_class

    assert jvm_class("ServingFunctions").PARSED_COL == "parsed"
    with pytest.raises(RuntimeError, match="spark_conf"):
        jvm_class("NoSuchClass")


def test_help_documents_the_api():
    text = pydoc.render_doc(sparkserving, renderer=pydoc.plaintext)
    for name in ("parse_request", "json_reply", "reply", "spark_conf", "jar_path", "await_endpoints"):
        assert name in text
    parse_help = pydoc.render_doc(sparkserving.parse_request, renderer=pydoc.plaintext)
    assert "400" in parse_help and "schema" in parse_help
    reply_help = pydoc.render_doc(sparkserving.reply, renderer=pydoc.plaintext)
    assert "status" in reply_help and "headers" in reply_help
