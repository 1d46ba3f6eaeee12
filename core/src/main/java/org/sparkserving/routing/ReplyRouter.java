package org.sparkserving.routing;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
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
 * in this JVM, otherwise batched per instance and posted to its internal endpoint on {@link
 * #flush()} or when a batch grows large. One router per writer task; not thread-safe.
 */
public final class ReplyRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyRouter.class);
  private static final int MAX_BATCH_REPLIES = 512;
  private static final long MAX_BATCH_BYTES = 4L << 20;

  private final Map<String, String> secrets;
  private final Function<String, ServingEndpoint> locals;
  private final Map<String, ServingEndpoint> localCache = new HashMap<>();
  private final Map<String, ReplyBatch> remote = new HashMap<>();
  private long unroutable;

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
    ReplyBatch batch = remote.computeIfAbsent(origin, o -> new ReplyBatch());
    batch.add(seq, reply);
    if (batch.size() >= MAX_BATCH_REPLIES || batch.approximateBytes() >= MAX_BATCH_BYTES) {
      post(origin, remote.remove(origin));
    }
  }

  /** Posts every pending remote batch. */
  public void flush() {
    for (Map.Entry<String, ReplyBatch> e : remote.entrySet()) {
      post(e.getKey(), e.getValue());
    }
    remote.clear();
  }

  /** Replies that could not be delivered because their server instance is unknown or gone. */
  public long unroutable() {
    return unroutable;
  }

  private void post(String origin, ReplyBatch batch) {
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
    try {
      HttpResponse<byte[]> response =
          InternalClient.send(
              HttpRequest.newBuilder(InternalClient.uri(origin, "replies"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(batch.encode())),
              secret);
      if (response.statusCode() != 200) {
        unroutable += batch.size();
        LOG.warn(
            "Service instance {} refused {} replies: HTTP {}",
            origin,
            batch.size(),
            response.statusCode());
      }
    } catch (IOException e) {
      unroutable += batch.size();
      LOG.warn("Cannot deliver {} replies to {}: {}", batch.size(), origin, e.toString());
    }
  }
}
