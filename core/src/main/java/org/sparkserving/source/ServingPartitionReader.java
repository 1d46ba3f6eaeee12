package org.sparkserving.source;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.TaskFailureListener;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.http.ServingRequest;
import org.sparkserving.routing.RemoteRequests;

/**
 * Reads one partition's seq range: directly from the server when it lives in this JVM, otherwise
 * through the server's internal endpoint. Requests answered or timed out since admission are
 * skipped, so a replayed range never answers a client twice.
 *
 * <p>If the task fails (a row made the user's code throw), the range's unanswered requests get the
 * failure's 500 at once: Spark's retry of the task (on a cluster) then skips them, so one poison
 * request costs its own partition's clients, not the query. Only for a server in this JVM, which is
 * where Spark places the task whenever it can.
 */
final class ServingPartitionReader implements PartitionReader<InternalRow> {

  private final UTF8String origin;
  private final Iterator<RequestRecord> records;
  private InternalRow current;

  /** One request with its seq, whichever way it was read. */
  record RequestRecord(long seq, ServingRequest request) {}

  ServingPartitionReader(ServingInputPartition partition) {
    this.origin = UTF8String.fromString(partition.origin());
    this.records = read(partition).iterator();
  }

  private static List<RequestRecord> read(ServingInputPartition p) {
    ServingEndpoint local = HttpServers.findInstance(Origins.instanceId(p.origin()));
    if (local != null) {
      answerOnTaskFailure(local, p);
      return local.read(p.fromSeq(), p.toSeq()).stream()
          .map(e -> new RequestRecord(e.seq(), e.request()))
          .filter(r -> r.request() != null)
          .toList();
    }
    return RemoteRequests.fetch(p.origin(), p.secret(), p.registry(), p.fromSeq(), p.toSeq())
        .stream()
        .map(e -> new RequestRecord(e.seq(), e.request()))
        .toList();
  }

  private static void answerOnTaskFailure(ServingEndpoint local, ServingInputPartition p) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return;
    }
    task.addTaskFailureListener(
        (TaskFailureListener)
            (context, error) -> {
              // A killed task (the query stopping, a sibling task failing) is no poison: its
              // clients hear the query's end, or the rerun of the batch answers them.
              if (!context.isInterrupted()) {
                local.failRange(
                    p.fromSeq(),
                    p.toSeq(),
                    ErrorReplies.queryFailed(
                        local.name(), QueryEnd.clientReason(error, p.includeErrorDetails())));
              }
            });
  }

  @Override
  public boolean next() {
    if (!records.hasNext()) {
      return false;
    }
    RequestRecord r = records.next();
    current = RequestRows.toRow(origin, r.seq(), r.request());
    return true;
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public void close() {}
}
