package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Clients;

/** Continuous processing: requests answered as they arrive, not per epoch. */
class ContinuousTriggerTest extends LowLatencyTriggerTestBase {

  @Override
  DataStreamWriter<Row> writer(Dataset<Row> output, Path checkpoint) {
    return output
        .writeStream()
        .format("serving")
        .option("replyCol", "reply")
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.Continuous("1 second"));
  }

  @Test
  void twoPartitionsShareTheRequests() throws Exception {
    start(
        service("two").option("numPartitions", "2").load().withColumn("reply", col("value")),
        tempDir("two"));
    Clients.assertEachGetsItsOwnReply(urlOf("two"), 16, 640, b -> b);
  }

  @Test
  void moreContinuousPartitionsThanTaskSlotsIsRefused() {
    assertThatThrownBy(
            () -> {
              StreamingQuery q =
                  start(
                      service("greedy")
                          .option("numPartitions", "64")
                          .load()
                          .withColumn("reply", col("value")),
                      tempDir("greedy"));
              q.awaitTermination(60_000);
              if (q.exception().isDefined()) {
                throw q.exception().get();
              }
            })
        .hasMessageContaining("Invalid value '64' for option 'numPartitions'")
        .hasMessageContaining("task slots");
  }
}
