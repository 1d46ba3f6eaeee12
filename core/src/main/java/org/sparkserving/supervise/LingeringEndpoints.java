package org.sparkserving.supervise;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.http.Reply;
import org.sparkserving.http.ServingEndpoint;

/**
 * Head-node servers whose supervised query failed, kept serving for a grace period: they go on
 * admitting clients, who wait, until the restarted query's stream adopts the server (same origin,
 * same seq numbering, so the checkpoint's offsets name a live server) or the grace period ends (the
 * server then stops and its clients get the failure's 500).
 */
public final class LingeringEndpoints {

  private static final Logger LOG = LoggerFactory.getLogger(LingeringEndpoints.class);

  /** One server waiting to be adopted. */
  private record Held(ServingEndpoint endpoint, Reply finalReply, ScheduledFuture<?> expiry) {}

  /** Guarded by the class lock, keyed by {@link Supervision#adoptionKey}. */
  private static final Map<String, Held> HELD = new HashMap<>();

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private LingeringEndpoints() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "serving-lingering-endpoints");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /**
   * Keeps {@code endpoint} serving under {@code key} for {@code graceMs}; then it stops with {@code
   * finalReply} unless adopted first.
   */
  public static synchronized void hold(
      String key, ServingEndpoint endpoint, Reply finalReply, long graceMs) {
    Held previous = HELD.remove(key);
    if (previous != null) {
      release(previous);
    }
    ScheduledFuture<?> expiry =
        TIMER.schedule(() -> expire(key, endpoint), graceMs, TimeUnit.MILLISECONDS);
    HELD.put(key, new Held(endpoint, finalReply, expiry));
  }

  /** The server held under {@code key}, now owned by the caller; null if there is none. */
  public static synchronized ServingEndpoint adopt(String key) {
    Held held = HELD.remove(key);
    if (held == null) {
      return null;
    }
    held.expiry().cancel(false);
    return held.endpoint().isStopped() ? null : held.endpoint();
  }

  /** Stops at once every server held for supervisor {@code token}: it will not restart. */
  public static synchronized void releaseAll(String token) {
    for (Iterator<Map.Entry<String, Held>> it = HELD.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Held> e = it.next();
      if (e.getKey().startsWith(token + "|")) {
        it.remove();
        release(e.getValue());
      }
    }
  }

  private static synchronized void expire(String key, ServingEndpoint endpoint) {
    Held held = HELD.get(key);
    if (held != null && held.endpoint() == endpoint) {
      HELD.remove(key);
      LOG.warn(
          "Service '{}' at {} stopped: no restarted query adopted it in time (option {})",
          endpoint.name(),
          endpoint.url(),
          org.sparkserving.api.ServingOptions.RESTART_GRACE_PERIOD);
      release(held);
    }
  }

  private static void release(Held held) {
    held.expiry().cancel(false);
    held.endpoint().stop(held.finalReply());
  }
}
