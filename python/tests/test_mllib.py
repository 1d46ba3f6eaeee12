"""A saved MLlib pipeline served end to end from JSON requests, in a few lines."""

import json

from pyspark.ml import PipelineModel
from pyspark.ml.functions import vector_to_array
from pyspark.sql import functions as F

from sparkserving import json_reply, parse_request
from conftest import checkpoint, post, url_of


def test_saved_pipeline_answers_json_requests(spark, tmp_path, sentiment_model_path):
    model = PipelineModel.load(sentiment_model_path)

    # The whole service:
    requests = spark.readStream.format("serving").option("name", "sentiment").option("port", 0).load()
    texts = parse_request(requests, "text STRING").withColumn("value", F.col("parsed.text"))
    scored = model.transform(texts).withColumn(
        "reply",
        json_reply(
            F.struct(
                F.col("prediction").cast("int").alias("label"),
                F.round(vector_to_array("probability")[1], 3).alias("positive"),
            )
        ),
    )
    scored.writeStream.format("serving").option("checkpointLocation", checkpoint(tmp_path)).start()

    url = url_of("sentiment")
    happy = json.loads(post(url, '{"text": "a great happy result"}').body)
    sad = json.loads(post(url, '{"text": "sad awful work"}').body)
    assert happy["label"] == 1 and happy["positive"] > 0.5
    assert sad["label"] == 0 and sad["positive"] < 0.5
    # Bad JSON is answered by the service, not by a hung client (the original's failure).
    bad = post(url, '{"text": ')
    assert bad.status == 400 and "malformed JSON" in bad.body
    assert json.loads(post(url, '{"text": "so happy"}').body)["label"] == 1
