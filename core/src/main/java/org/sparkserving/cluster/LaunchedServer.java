package org.sparkserving.cluster;

/**
 * A server that a launch task found or started in an executor.
 *
 * @param executorId the executor it runs in ({@code driver} in local mode)
 * @param host the executor's host as Spark knows it
 * @param origin {@code host:port/instanceId}, as written into its requests' ids
 * @param url the URL its clients call
 */
public record LaunchedServer(String executorId, String host, String origin, String url) {

  /** The Spark location that pins a partition to this server's executor. */
  public String location() {
    return "executor_" + host + "_" + executorId;
  }
}
