package org.sparkserving.source;

import java.util.ArrayDeque;
import org.sparkserving.http.Exchange;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.RequestBatch;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.RemoteRequests;
import org.sparkserving.source.ServingPartitionReader.RequestRecord;

/**
 * An unbounded read of one server's requests for the continuous and real-time triggers. Partition
 * {@code index} of {@code count} reads every seq {@code s} with {@code (s - 1) % count == index},
 * in order, so its offset is simply the last seq it passed and a restart from it is exact.
 */
final class RequestCursor {

  /**
   * How long the server holds one remote long-poll when the partition has nothing new: an idle
   * partition reading a remote server makes about one call per this many ms.
   */
  static final long LONG_POLL_MS = 1000;

  private static final int REMOTE_WINDOW = 256;

  private final String origin;
  private final String secret;
  private final String registry;
  private final int index;
  private final int count;
  private final ServingEndpoint local;
  private final ArrayDeque<RequestRecord> fetched = new ArrayDeque<>();
  private long last;
  private boolean gone;

  RequestCursor(String origin, String secret, String registry, int index, int count, long lastSeq) {
    this(
        origin,
        secret,
        registry,
        index,
        count,
        lastSeq,
        HttpServers.findInstance(Origins.instanceId(origin)));
  }

  /** With {@code local} null, reads through the internal endpoint even in the server's JVM. */
  RequestCursor(
      String origin,
      String secret,
      String registry,
      int index,
      int count,
      long lastSeq,
      ServingEndpoint local) {
    this.origin = origin;
    this.secret = secret;
    this.registry = registry;
    this.index = index;
    this.count = count;
    this.last = lastSeq;
    this.local = local;
  }

  /** The last seq this cursor has passed (read or skipped); 0 before the first. */
  long lastSeq() {
    return last;
  }

  /**
   * The first seq after {@link #last} that belongs to this partition. Computed from {@code last}
   * whatever its residue, so a cursor that starts from any offset (0, or another partitioning's)
   * stays on its own seqs.
   */
  private long nextSeq() {
    return last + 1 + Math.floorMod(index - last, count);
  }

  /** The highest seq of this partition at or below {@code seq}, never below {@link #last}. */
  private long lastOwnAtOrBelow(long seq) {
    long own = seq - Math.floorMod(seq - 1 - index, count);
    return Math.max(last, own);
  }

  /**
   * The next waiting request of this partition, waiting at most {@code timeoutMs} for one.
   *
   * @return the request, or null when none arrived in time
   */
  RequestRecord next(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      RequestRecord r = local != null ? nextLocal(deadline) : nextRemote(deadline);
      // Less than a millisecond left: another call could only return at once, empty.
      if (r != null || deadline - System.nanoTime() < 1_000_000L) {
        return r;
      }
    }
  }

  private RequestRecord nextLocal(long deadline) throws InterruptedException {
    long seq = nextSeq();
    long leftMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
    if (!local.awaitAdmitted(seq, leftMs)) {
      if (local.isStopped()) {
        // The service stopped with the query; wait out the time so Spark can wind down.
        Thread.sleep(leftMs);
      }
      return null;
    }
    last = seq;
    Exchange e = local.waiting(seq);
    return e == null ? null : new RequestRecord(seq, e.request());
  }

  private RequestRecord nextRemote(long deadline) throws InterruptedException {
    if (fetched.isEmpty() && !gone) {
      long from = last;
      long upTo = from + (long) REMOTE_WINDOW * count;
      long waitMs =
          Math.min(LONG_POLL_MS, Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
      // Only this partition's seqs, and the server waits for the next one: no polling loop here.
      RemoteRequests.Fetched f =
          RemoteRequests.poll(origin, secret, registry, from, upTo, index, count, waitMs);
      gone = f.lastSeq() < 0;
      for (RequestBatch.Entry e : f.entries()) {
        fetched.add(new RequestRecord(e.seq(), e.request()));
      }
      if (fetched.isEmpty()) {
        // Every seq of this partition up to the server's last admitted one (within the window)
        // is read or ended: pass them.
        if (!gone) {
          last = lastOwnAtOrBelow(Math.min(f.lastSeq(), upTo));
        }
        return null;
      }
    }
    RequestRecord r = fetched.poll();
    if (r != null) {
      last = r.seq();
    } else if (gone) {
      Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
    }
    return r;
  }
}
