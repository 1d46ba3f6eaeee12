package org.sparkserving.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Where a micro-batch's job time goes, from Spark's scheduler events: how long each job took from
 * submission to end, and of that how long its tasks waited to launch, deserialized and ran. With
 * {@link BatchTimings}' {@code addBatch} it separates Spark's per-job overhead from the work the
 * connector does inside the task. Only jobs that ended count: a continuous or real-time query's
 * long-running job ends only when the query stops.
 */
final class JobTimings extends SparkListener {

  private final Map<Integer, Long> jobStarts = new HashMap<>();
  private long jobs;
  private long jobMs;
  private long tasks;
  private long launchDelayMs;
  private long deserializeMs;
  private long runMs;
  private long taskMs;

  /** Task launch times of running jobs are compared with their job's start, by stage's job. */
  private final Map<Integer, Integer> jobOfStage = new HashMap<>();

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    jobStarts.put(start.jobId(), start.time());
    for (Object stageId : scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds())) {
      jobOfStage.put((Integer) stageId, start.jobId());
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    Long started = jobStarts.remove(end.jobId());
    jobOfStage.values().removeIf(id -> id == end.jobId());
    if (started != null) {
      jobs++;
      jobMs += end.time() - started;
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    TaskInfo info = end.taskInfo();
    Integer job = jobOfStage.get(end.stageId());
    Long jobStart = job == null ? null : jobStarts.get(job);
    if (info == null || end.taskMetrics() == null || jobStart == null) {
      return;
    }
    tasks++;
    launchDelayMs += info.launchTime() - jobStart;
    taskMs += info.finishTime() - info.launchTime();
    deserializeMs += end.taskMetrics().executorDeserializeTime();
    runMs += end.taskMetrics().executorRunTime();
  }

  /** A one-line summary of the jobs that ended since the last call, or null if none did. */
  synchronized String drain() {
    if (jobs == 0 || tasks == 0) {
      return null;
    }
    String s =
        String.format(
            Locale.ROOT,
            "Spark jobs: %d ended, %.1f tasks/job; mean ms per job %.1f (submit to end), per task:"
                + " launch after job start %.1f, launch to end %.1f, of which deserialize %.1f, run"
                + " %.1f",
            jobs,
            (double) tasks / jobs,
            (double) jobMs / jobs,
            (double) launchDelayMs / tasks,
            (double) taskMs / tasks,
            (double) deserializeMs / tasks,
            (double) runMs / tasks);
    jobs = 0;
    jobMs = 0;
    tasks = 0;
    launchDelayMs = 0;
    taskMs = 0;
    deserializeMs = 0;
    runMs = 0;
    return s;
  }
}
