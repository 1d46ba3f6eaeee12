package org.sparkserving.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.storage.BlockManagerId;

/**
 * The executors alive right now, by id, with their hosts, from Spark's listener events. In local
 * mode the one executor is the driver itself.
 */
final class ExecutorTracker extends SparkListener {

  private static final String DRIVER = "driver";

  private final SparkContext sc;
  private final Map<String, String> live = new ConcurrentHashMap<>();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final Runnable onChange;

  private ExecutorTracker(SparkContext sc, Runnable onChange) {
    this.sc = sc;
    this.onChange = onChange;
  }

  /** Starts tracking; {@code onChange} runs on Spark's listener thread after each change. */
  static ExecutorTracker start(SparkContext sc, Runnable onChange) {
    ExecutorTracker tracker = new ExecutorTracker(sc, onChange);
    sc.addSparkListener(tracker);
    tracker.refresh();
    return tracker;
  }

  /**
   * Adds the executors whose block managers the driver knows: those that registered before this
   * tracker's listener did, including ones whose block manager registered only after the listener's
   * start (their "added" event came too early to be seen). Executors once removed never come back.
   */
  void refresh() {
    if (sc.isLocal()) {
      live.put(DRIVER, SparkEnv.get().blockManager().blockManagerId().host());
      return;
    }
    scala.collection.Iterator<BlockManagerId> ids =
        SparkEnv.get().blockManager().master().getMemoryStatus().keysIterator();
    while (ids.hasNext()) {
      BlockManagerId id = ids.next();
      if (!id.executorId().equals(DRIVER) && !removed.contains(id.executorId())) {
        live.putIfAbsent(id.executorId(), id.host());
      }
    }
  }

  /** Live executors: id to host. */
  Map<String, String> live() {
    return Map.copyOf(live);
  }

  boolean isLive(String executorId) {
    return live.containsKey(executorId);
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    if (!sc.isLocal() && !removed.contains(added.executorId())) {
      live.put(added.executorId(), added.executorInfo().executorHost());
      onChange.run();
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    this.removed.add(removed.executorId());
    if (live.remove(removed.executorId()) != null) {
      onChange.run();
    }
  }

  void stop() {
    sc.removeSparkListener(this);
  }
}
