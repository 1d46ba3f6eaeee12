package org.sparkserving.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.RemoteServers;

/**
 * The driver's calls to one distributed service's servers. Every call goes to all servers in
 * parallel, and the driver waits at most {@code executorCallTimeout} for a round, so one hung
 * executor cannot stall a trigger. A server has at most one call of each kind in flight: a hung
 * server's status call stays pending (up to {@link #CALL_TIMEOUT}) and later rounds do not wait for
 * it again, so it delays one trigger, not every one; its last known status stands in meanwhile. A
 * server that answers 410 is reported gone (its lease expired or it stopped), so the driver can
 * start a new one.
 */
final class ExecutorCalls {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCalls.class);

  /** How long one call may stay in flight before it fails and a new one may be made. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final String secret;
  private final long roundTimeoutMs;
  private final Consumer<String> gone;

  /** By origin: the status call in flight, or done. */
  private final Map<String, CompletableFuture<Map<String, Long>>> statusCalls =
      new ConcurrentHashMap<>();

  /** By origin: System.nanoTime() of the server's last answer to any call. */
  private final Map<String, Long> lastAnswer = new ConcurrentHashMap<>();

  /** By origin: the last status a server answered. */
  private final Map<String, Map<String, Long>> lastStatus = new ConcurrentHashMap<>();

  private final Map<String, CompletableFuture<byte[]>> commitCalls = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<byte[]>> leaseCalls = new ConcurrentHashMap<>();

  /**
   * @param gone told the origin of a server that answered 410 (its instance no longer runs)
   */
  ExecutorCalls(String name, String secret, long roundTimeoutMs, Consumer<String> gone) {
    this.name = name;
    this.secret = secret;
    this.roundTimeoutMs = roundTimeoutMs;
    this.gone = gone;
  }

  private static ServingEndpoint local(String origin) {
    ServingEndpoint e = HttpServers.findInstance(Origins.instanceId(origin));
    return e == null || e.isStopped() ? null : e;
  }

  /**
   * The status of each server that answered within the round (or earlier, when its call from an
   * earlier round is still pending, or when it is not {@code answering} lately and so is not
   * called); servers never heard from are left out.
   */
  Map<String, Map<String, Long>> statuses(List<String> origins, Predicate<String> answering) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    List<String> waitFor = new ArrayList<>();
    for (String origin : origins) {
      ServingEndpoint local = local(origin);
      if (local != null) {
        out.put(origin, local.status());
        continue;
      }
      CompletableFuture<Map<String, Long>> call = statusCalls.get(origin);
      if ((call == null || call.isDone()) && answering.test(origin)) {
        statusCalls.put(origin, startStatus(origin));
        waitFor.add(origin);
      }
    }
    awaitAll(waitFor.stream().map(statusCalls::get).toList());
    for (String origin : origins) {
      Map<String, Long> known = lastStatus.get(origin);
      if (known != null && !out.containsKey(origin)) {
        out.put(origin, known);
      }
    }
    return out;
  }

  private CompletableFuture<Map<String, Long>> startStatus(String origin) {
    return RemoteServers.status(origin, secret, CALL_TIMEOUT)
        .whenComplete(
            (status, error) -> {
              if (error == null) {
                lastStatus.put(origin, status);
              }
              answered(origin, "status", error);
            });
  }

  /**
   * Lets a server release requests up to {@code upToSeq}; does not wait. Skipped while an earlier
   * commit to it is in flight: a commit covers every seq below it, so the next one catches up.
   */
  void commit(String origin, long upToSeq) {
    ServingEndpoint local = local(origin);
    if (local != null) {
      local.commit(upToSeq);
      return;
    }
    CompletableFuture<byte[]> call = commitCalls.get(origin);
    if (call == null || call.isDone()) {
      commitCalls.put(
          origin,
          RemoteServers.commit(origin, secret, upToSeq, CALL_TIMEOUT)
              .whenComplete((r, error) -> answered(origin, "commit", error)));
    }
  }

  /**
   * Renews every server's lease; does not wait. A renewal still in flight after {@code timeout} is
   * abandoned, so a call stuck on a bad connection does not hold back the next one.
   */
  void renewLeases(List<String> origins, Duration timeout) {
    for (String origin : origins) {
      ServingEndpoint local = local(origin);
      if (local != null) {
        local.renewLease();
        lastAnswer.put(origin, System.nanoTime());
        continue;
      }
      CompletableFuture<byte[]> call = leaseCalls.get(origin);
      if (call == null || call.isDone()) {
        leaseCalls.put(
            origin,
            RemoteServers.renewLease(origin, secret, timeout)
                .whenComplete((r, error) -> answered(origin, "lease", error)));
      }
    }
  }

  /**
   * Stops every server, in parallel, waiting at most one round; a server that does not answer in
   * time stops itself when its lease runs out.
   */
  void stopAll(List<String> origins, String failure) {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (String origin : origins) {
      ServingEndpoint local = local(origin);
      if (local != null) {
        // In this JVM (local mode): stop it here, so its port is free when stop() returns.
        local.stop(ErrorReplies.ended(local.name(), failure));
        continue;
      }
      calls.add(
          RemoteServers.stop(origin, secret, failure, CALL_TIMEOUT)
              .whenComplete(
                  (r, error) -> {
                    if (error != null) {
                      LOG.info(
                          "Server {} of '{}' did not stop cleanly ({}); its lease ends it",
                          origin,
                          name,
                          RemoteServers.cause(error).toString());
                    }
                  }));
    }
    awaitAll(calls);
  }

  /**
   * System.nanoTime() when the server last answered a call (or null if it never has): the registry
   * lists a server only while this is recent (option {@code registryHealthTimeout}).
   */
  Long lastAnswerNanos(String origin) {
    return lastAnswer.get(origin);
  }

  /** Forgets a server that left the service. */
  void forget(String origin) {
    lastAnswer.remove(origin);
    lastStatus.remove(origin);
  }

  private void answered(String origin, String call, Throwable error) {
    if (error == null) {
      lastAnswer.put(origin, System.nanoTime());
      return;
    }
    Throwable cause = RemoteServers.cause(error);
    if (cause instanceof RemoteServers.Refused refused && refused.gone()) {
      lastStatus.remove(origin);
      gone.accept(origin);
    } else {
      LOG.debug("No answer from {} of '{}' to {}: {}", origin, name, call, cause.toString());
    }
  }

  /** Waits for all calls, at most one round in total; what is late stays in flight. */
  private void awaitAll(List<? extends CompletableFuture<?>> calls) {
    if (calls.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
          .get(roundTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Late or failed calls: their servers keep their last known status this time.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
