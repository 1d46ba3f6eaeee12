package org.sparkserving.routing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * together in the next one, so a lone reply leaves at once and a stream of them is batched by the
 * round trip itself. One router per writer task; {@link #flush()} waits until everything sent has
 * been delivered (or counted as undeliverable).
 */
public final class ReplyRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyRouter.class);

  /** Above this many queued replies for one origin, the writer waits for the call in flight. */
  private static final int MAX_QUEUED_REPLIES = 4096;

  private final Map<String, String> secrets;
  private final Function<String, ServingEndpoint> locals;
  private final Map<String, ServingEndpoint> localCache = new HashMap<>();

  /** Guarded by this. */
  private final Map<String, Lane> lanes = new HashMap<>();

  /** Guarded by this. */
  private long unroutable;

  /** Guarded by this: calls in flight. */
  private int inFlight;

  /** The replies waiting for one origin, and whether a call to it is in flight. */
  private static final class Lane {
    ReplyBatch queued = new ReplyBatch();
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
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(origin, o -> new Lane());
      while (lane.sending && lane.queued.size() >= MAX_QUEUED_REPLIES) {
        awaitChange();
      }
      lane.queued.add(seq, reply);
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

  /** Replies that could not be delivered because their server instance is unknown or gone. */
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

  /** Sends what is queued for {@code origin}; called holding the lock, with no call in flight. */
  private void post(String origin, Lane lane) {
    ReplyBatch batch = lane.queued;
    lane.queued = new ReplyBatch();
    String secret = secrets.get(Origins.serviceKey(origin));
    if (secret == null) {
      secret = ServiceSecrets.forOrigin(origin);
    }
    if (secret == null) {
      // A reply for an instance of an earlier run: its clients died with it.
      unroutable += batch.size();
      LOG.debug("Dropping {} replies for unknown service instance {}", batch.size(), origin);
      return;
    }
    lane.sending = true;
    inFlight++;
    CompletableFuture<HttpResponse<byte[]>> call =
        InternalClient.sendAsync(
            HttpRequest.newBuilder(InternalClient.uri(origin, "replies"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.encode())),
            secret);
    call.whenComplete((response, error) -> delivered(origin, lane, batch.size(), response, error));
  }

  private synchronized void delivered(
      String origin, Lane lane, int count, HttpResponse<byte[]> response, Throwable error) {
    if (error != null || response.statusCode() != 200) {
      unroutable += count;
      LOG.warn(
          "Cannot deliver {} replies to {}: {}",
          count,
          origin,
          error != null ? error.toString() : "HTTP " + response.statusCode());
    }
    lane.sending = false;
    inFlight--;
    if (lane.queued.size() > 0) {
      post(origin, lane);
    }
    notifyAll();
  }
}
