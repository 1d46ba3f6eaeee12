package org.sparkserving;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.streaming.StreamingRelationV2;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * Options are parsed once, with one precedence rule: the reader's option, then the session's {@code
 * spark.datasource.serving.<option>}, then the provider's default, then the global default; every
 * scan uses that one parse.
 */
class OptionPrecedenceTest extends SparkServingTestBase {

  private static final String DISTRIBUTED_SOURCE =
      "org.apache.spark.sql.execution.streaming.DistributedHTTPSourceProvider";

  @AfterEach
  void clearSessionOptions() {
    spark.conf().unset("spark.datasource.serving.replyTimeout");
    spark.conf().unset("spark.datasource.serving.maxRequestBytes");
    spark.conf().unset("spark.datasource.serving.mode");
  }

  private static ServingTable tableOf(Dataset<Row> df) {
    return (ServingTable) find(df.queryExecution().analyzed()).table();
  }

  private static StreamingRelationV2 find(LogicalPlan plan) {
    if (plan instanceof StreamingRelationV2 relation) {
      return relation;
    }
    scala.collection.Iterator<LogicalPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      StreamingRelationV2 found = find(children.next());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Test
  void optionThenSessionThenProviderDefaultThenDefault() {
    spark.conf().set("spark.datasource.serving.replyTimeout", "9s");
    spark.conf().set("spark.datasource.serving.maxRequestBytes", "2k");
    Dataset<Row> df =
        spark
            .readStream()
            .format(DISTRIBUTED_SOURCE)
            .option("name", "prec")
            .option("REPLYTIMEOUT", "7s")
            .load();
    ServingConfig config = tableOf(df).config();
    assertThat(config.limits().replyTimeoutMs()).as("option over session").isEqualTo(7000);
    assertThat(config.limits().maxRequestBytes()).as("session over default").isEqualTo(2048);
    assertThat(config.mode()).as("provider default").isEqualTo(ServingConfig.Mode.DISTRIBUTED);
    assertThat(config.limits().maxPendingRequests()).as("default").isEqualTo(10000);

    spark.conf().set("spark.datasource.serving.mode", "head");
    ServingConfig sessionMode =
        tableOf(spark.readStream().format(DISTRIBUTED_SOURCE).option("name", "p2").load()).config();
    assertThat(sessionMode.mode())
        .as("session over provider default")
        .isEqualTo(ServingConfig.Mode.HEAD);
  }

  @Test
  void theScanUsesTheTablesParseNotTheRawOptions() {
    ServingTable table =
        tableOf(spark.readStream().format(DISTRIBUTED_SOURCE).option("name", "once").load());
    // Spark hands the scan the raw options again, without the provider's default mode.
    String scan =
        table
            .newScanBuilder(new CaseInsensitiveStringMap(java.util.Map.of("name", "once")))
            .build()
            .description();
    assertThat(scan).isEqualTo("serving[once, distributed]");
  }
}
