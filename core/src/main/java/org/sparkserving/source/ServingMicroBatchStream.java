package org.sparkserving.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.sparkserving.api.ServingConfig;

/**
 * Micro-batch reads of a service. The latest offset is each live server's last admitted seq, capped
 * by admission control; a batch's range per server is cut into fixed sub-ranges, one per partition,
 * so a retried task reads exactly the same requests.
 */
class ServingMicroBatchStream
    implements MicroBatchStream, SupportsAdmissionControl, ReportsSourceMetrics {

  private final ServingConfig config;
  final ServiceServers servers;
  private final int numPartitions;

  /**
   * Per server, the highest batch end this stream handed to Spark: if the query fails, the requests
   * up to it are the ones a failed batch may have held.
   */
  private final Map<String, Long> planned = new ConcurrentHashMap<>();

  ServingMicroBatchStream(ServingConfig config, ServiceServers servers, int numPartitions) {
    this.config = config;
    this.servers = servers;
    this.numPartitions = numPartitions;
  }

  @Override
  public Offset initialOffset() {
    return ServingOffset.EMPTY;
  }

  @Override
  public Offset deserializeOffset(String json) {
    return ServingOffset.fromJson(json);
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return ReadLimit.maxRows(config.maxRequestsPerTrigger());
  }

  @Override
  public Offset latestOffset() {
    return latestOffset(ServingOffset.EMPTY, ReadLimit.allAvailable());
  }

  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    ServingOffset start = (ServingOffset) startOffset;
    long budget = limit instanceof ReadMaxRows max ? max.maxRows() : Long.MAX_VALUE;
    List<ServiceServers.Server> live = servers.live();
    Map<String, Long> end = new LinkedHashMap<>();
    int remainingServers = live.size();
    for (ServiceServers.Server server : live) {
      long from = start.seq(server.origin());
      long available = Math.max(0, server.lastSeq() - from);
      // Share what is left of the budget evenly among the servers not yet visited.
      long take = Math.min(available, budget / Math.max(1, remainingServers--));
      budget -= take;
      end.put(server.origin(), from + take);
      planned.merge(server.origin(), from + take, Math::max);
    }
    return new ServingOffset(end);
  }

  @Override
  public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
    ServingOffset start = (ServingOffset) startOffset;
    ServingOffset end = (ServingOffset) endOffset;
    List<InputPartition> partitions = new ArrayList<>();
    for (Map.Entry<String, Long> e : end.seqs().entrySet()) {
      ServiceServers.Server server = servers.find(e.getKey());
      long from = start.seq(e.getKey());
      long to = e.getValue();
      if (server == null || to <= from) {
        // A server of an earlier run: its clients are gone, so its range is empty.
        continue;
      }
      long count = to - from;
      int parts = (int) Math.min(numPartitions, count);
      for (int i = 0; i < parts; i++) {
        long lo = from + count * i / parts;
        long hi = from + count * (i + 1) / parts;
        partitions.add(
            new ServingInputPartition(
                server.origin(),
                server.secret(),
                servers.registryUrl(),
                lo,
                hi,
                server.locations(),
                config.includeErrorDetails()));
      }
    }
    return partitions.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return ServingReaderFactory.INSTANCE;
  }

  @Override
  public void commit(Offset end) {
    ((ServingOffset) end).seqs().forEach(servers::commit);
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    return servers.metrics();
  }

  @Override
  public void stop() {
    Throwable failure = QueryEnd.failureOfCurrentQuery();
    if (failure == null) {
      servers.stop(null);
    } else {
      servers.fail(QueryEnd.clientReason(failure, config.includeErrorDetails()), planned);
    }
  }

  @Override
  public String toString() {
    return "ServingMicroBatchStream[" + servers + "]";
  }
}
