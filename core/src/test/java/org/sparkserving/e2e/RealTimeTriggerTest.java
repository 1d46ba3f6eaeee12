package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.testing.Http;

/** Spark's real-time mode (Spark 4.1+), through the library's foreach writer. */
class RealTimeTriggerTest extends LowLatencyTriggerTestBase {

  @Override
  DataStreamWriter<Row> writer(Dataset<Row> output, Path checkpoint) {
    return output
        .writeStream()
        .outputMode("update")
        .foreach(Serving.replyWriter("reply"))
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.RealTime(5000));
  }

  @Test
  void servingSinkWorksWhenTheAllowListIsOff() throws Exception {
    spark.conf().set("spark.sql.streaming.realTimeMode.allowlistCheck", "false");
    try {
      service("rtsink")
          .load()
          .withColumn("reply", upper(col("value")))
          .writeStream()
          .outputMode("update")
          .format("serving")
          .option("replyCol", "reply")
          .option("checkpointLocation", tempDir("rtsink").toString())
          .trigger(Trigger.RealTime(5000))
          .start();
      assertThat(Http.post(urlOf("rtsink"), "abc").body()).isEqualTo("ABC");
    } finally {
      spark.conf().unset("spark.sql.streaming.realTimeMode.allowlistCheck");
    }
  }
}
