package org.sparkserving.routing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.Reply;
import org.sparkserving.http.ReplyBatch;
import org.sparkserving.http.ServingEndpoint;

/**
 * Sends each reply to the server instance that holds its client: at once when that instance lives
 * in this JVM, otherwise through the instance's internal endpoint. Remote replies never wait for a
 * batch to fill: each origin has at most one call in flight, and replies that arrive meanwhile go
 * together in the next calls, so a lone reply leaves at once and a stream of them is batched by the
 * round trip itself. A call carries at most {@link #MAX_BATCH_BYTES} (a larger reply goes alone),
 * so it stays under any server's body limit; a failed call is retried a few times (delivery is
 * idempotent: the server drops a second reply for a seq). One router per writer task; {@link
 * #flush()} waits until everything sent has been delivered or counted as undeliverable.
 */
public final class ReplyRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyRouter.class);

  /**
   * Most reply bytes in one internal call: below the smallest public body limit a server is likely
   * to have (1 MiB by default) with room for the framing, so a batch is never refused as too large.
   */
  static final long MAX_BATCH_BYTES = 512 * 1024;

  /** Most replies in one internal call. */
  private static final int MAX_BATCH_REPLIES = 4096;

  /** Above this many queued bytes for one origin, the writer waits for the call in flight. */
  private static final long MAX_QUEUED_BYTES = 8L << 20;

  /** The pause before each retry of a failed call; one entry per retry. */
  private static final long[] RETRY_DELAYS_MS = {50, 250, 1000};

  private final Map<String, String> secrets;
  private final Function<String, ServingEndpoint> locals;
  private final Map<String, ServingEndpoint> localCache = new HashMap<>();

  /** Guarded by this. */
  private final Map<String, Lane> lanes = new HashMap<>();

  /** Guarded by this. */
  private long unroutable;

  /** Guarded by this: calls in flight or waiting to be retried. */
  private int inFlight;

  /** The replies waiting for one origin, in batches of at most MAX_BATCH_BYTES. */
  private static final class Lane {
    final ArrayDeque<ReplyBatch> queued = new ArrayDeque<>();
    long queuedBytes;
    boolean sending;
  }

  /**
   * @param secrets the secret of every known service, by service key, for internal calls; {@link
   *     ServiceSecrets} is asked for the others
   */
  public ReplyRouter(Map<String, String> secrets) {
    this(secrets, HttpServers::findInstance);
  }

  /** With {@code locals} finding the service instances of this JVM by id (null: none here). */
  ReplyRouter(Map<String, String> secrets, Function<String, ServingEndpoint> locals) {
    this.secrets = secrets;
    this.locals = locals;
  }

  /** Routes one reply. */
  public void send(String origin, long seq, Reply reply) {
    String instanceId = Origins.instanceId(origin);
    ServingEndpoint local = localCache.computeIfAbsent(instanceId, locals);
    if (local != null) {
      local.reply(seq, reply);
      return;
    }
    long size = ReplyBatch.encodedSize(reply);
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(origin, o -> new Lane());
      while (lane.sending && lane.queuedBytes >= MAX_QUEUED_BYTES) {
        awaitChange();
      }
      ReplyBatch last = lane.queued.peekLast();
      if (last == null
          || last.size() >= MAX_BATCH_REPLIES
          || last.approximateBytes() + size > MAX_BATCH_BYTES) {
        last = new ReplyBatch();
        lane.queued.add(last);
      }
      last.add(seq, reply);
      lane.queuedBytes += size;
      if (!lane.sending) {
        post(origin, lane);
      }
    }
  }

  /** Waits until every reply sent so far has been delivered or counted as undeliverable. */
  public synchronized void flush() {
    while (inFlight > 0) {
      awaitChange();
    }
  }

  /** Replies that could not be delivered: their server instance is unknown, gone or unreachable. */
  public synchronized long unroutable() {
    return unroutable;
  }

  private void awaitChange() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while delivering replies", e);
    }
  }

  /** Sends the oldest batch queued for {@code origin}; called holding the lock, none in flight. */
  private void post(String origin, Lane lane) {
    ReplyBatch batch = lane.queued.poll();
    if (batch == null) {
      return;
    }
    lane.queuedBytes -= batch.approximateBytes();
    String secret = secrets.get(Origins.serviceKey(origin));
    if (secret == null) {
      secret = ServiceSecrets.forOrigin(origin);
    }
    if (secret == null) {
      // A reply for an instance of an earlier run: its clients died with it.
      unroutable += batch.size();
      LOG.debug("Dropping {} replies for unknown service instance {}", batch.size(), origin);
      post(origin, lane);
      return;
    }
    lane.sending = true;
    inFlight++;
    attempt(origin, lane, batch, batch.encode(), secret, 0);
  }

  private void attempt(
      String origin, Lane lane, ReplyBatch batch, byte[] body, String secret, int retries) {
    InternalClient.sendAsync(
            HttpRequest.newBuilder(InternalClient.uri(origin, "replies"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
            secret)
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() == 200) {
                done(origin, lane, 0, null);
              } else if (retries < RETRY_DELAYS_MS.length && retryable(response)) {
                // Delivery is idempotent: a reply the server already has is dropped there.
                CompletableFuture.delayedExecutor(RETRY_DELAYS_MS[retries], TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(origin, lane, batch, body, secret, retries + 1));
              } else {
                done(
                    origin,
                    lane,
                    batch.size(),
                    error != null ? error.toString() : "HTTP " + response.statusCode());
              }
            });
  }

  /**
   * A call worth repeating: the connection failed or timed out, or the server was busy (5xx). An
   * instance that is gone (410) or a refusal (4xx) will not change its mind.
   */
  private static boolean retryable(HttpResponse<byte[]> response) {
    return response == null || response.statusCode() >= 500;
  }

  private synchronized void done(String origin, Lane lane, int lost, String why) {
    if (lost > 0) {
      unroutable += lost;
      LOG.warn("Cannot deliver {} replies to {}: {}", lost, origin, why);
    }
    lane.sending = false;
    inFlight--;
    if (!lane.queued.isEmpty()) {
      post(origin, lane);
    }
    notifyAll();
  }
}
