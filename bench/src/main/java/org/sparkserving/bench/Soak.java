package org.sparkserving.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A soak: one contender under a steady open-loop rate for minutes, to see whether anything grows
 * that should not (heap, threads, file descriptors, requests in flight) or whether latency drifts.
 * The measured phase is split into windows of {@code --soak-every}; at the end of each (and before
 * the load, and after it drained) the heap is measured after a few {@link System#gc()} calls. Those
 * calls stop the JVM that also runs the service, so each sample shows up in that window's latency
 * tail: the table gives their pause next to it.
 */
final class Soak {

  /** How many {@link System#gc()} calls before reading the heap: enough to settle what is free. */
  private static final int GC_CALLS = 3;

  private static final List<String> COLUMNS =
      ResultTable.withStats(
          List.of("at"),
          List.of(
              "in flight",
              "behind schedule",
              "heap after GC (MB)",
              "GC calls (ms)",
              "threads",
              "open fds"));

  /**
   * What the JVM looked like at one moment.
   *
   * @param inFlight requests sent and not yet answered, read before the GC calls
   * @param behind requests already due that no sender had taken yet, read before the GC calls
   * @param heapBytes heap used after the GC calls
   * @param gcMillis how long the GC calls took (the service stood still meanwhile)
   */
  private record Sample(
      long inFlight, long behind, long heapBytes, long gcMillis, int threads, long fds) {}

  private Soak() {}

  static int run(BenchOptions o) {
    ZonedDateTime startedAt = ZonedDateTime.now();
    RequestBodies bodies = new RequestBodies();
    Contender contender = Contenders.create(o.soakContender, o);
    String name = contender.name();
    int windows = (int) Math.ceil((double) o.soakDuration.toNanos() / o.soakEvery.toNanos());
    long windowSeconds = o.soakDuration.toSeconds() / windows;
    List<String> notes = new ArrayList<>();
    List<LoadResult> results = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    Sample[] beforeAndAfter = new Sample[2];
    boolean ok =
        BenchMain.withStarted(
            contender,
            bodies,
            o,
            notes,
            target -> {
              OpenLoop open = new OpenLoop(target);
              beforeAndAfter[0] = sample(open);
              Thread sampler = startSampler(open, windows, samples);
              BenchMain.progress(
                  name + ": soak at " + o.soakRate + "/s for " + o.soakDuration.toSeconds() + " s");
              results.addAll(
                  open.runWindows(
                      name,
                      w -> (w * windowSeconds) + "-" + ((w + 1) * windowSeconds) + " s",
                      o.soakRate,
                      o.maxOutstanding,
                      o.warmup,
                      o.soakDuration,
                      windows));
              sampler.join(TimeUnit.MINUTES.toMillis(1));
              results.forEach(BenchMain::report);
              beforeAndAfter[1] = sample(open);
              String note = contender.loadNote();
              if (note != null) {
                notes.add(name + ", whole soak: " + note);
              }
            });
    String table =
        render(o, startedAt, name, notes, results, samples, beforeAndAfter[0], beforeAndAfter[1]);
    return BenchMain.publish(o.out, table) && ok ? 0 : 1;
  }

  /**
   * A thread that takes one sample at the end of every window of the schedule the open loop is
   * about to run; it waits for that schedule at most a minute, and ends after the last window.
   */
  private static Thread startSampler(OpenLoop open, int windows, List<Sample> into) {
    Thread t =
        new Thread(
            () -> {
              long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
              OpenLoop.Schedule s = open.schedule();
              while (s == null && System.nanoTime() < giveUp) {
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(5));
                s = open.schedule();
              }
              if (s == null) {
                return;
              }
              long length = s.end() - s.measureStart();
              for (int k = 1; k <= windows; k++) {
                long at = s.measureStart() + length * k / windows;
                sleepNanos(at - System.nanoTime());
                Sample sample = sample(open);
                synchronized (into) {
                  into.add(sample);
                }
              }
            },
            "soak-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleepNanos(long nanos) {
    if (nanos > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Sample sample(OpenLoop open) {
    long inFlight = open.inFlight();
    long behind = open.behind();
    long gcStart = System.nanoTime();
    for (int i = 0; i < GC_CALLS; i++) {
      System.gc();
    }
    long gcMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gcStart);
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    return new Sample(inFlight, behind, heap, gcMillis, threads, openFileDescriptors());
  }

  /** Open file descriptors of this process (sockets included), or -1 where not known. */
  private static long openFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getOpenFileDescriptorCount();
    }
    return -1;
  }

  private static String render(
      BenchOptions o,
      ZonedDateTime startedAt,
      String name,
      List<String> notes,
      List<LoadResult> results,
      List<Sample> samples,
      Sample before,
      Sample after) {
    StringBuilder md = new StringBuilder();
    ResultTable.header(md, "Spark Serving soak: " + name, o, startedAt);
    md.append("- Load: open loop at ")
        .append(o.soakRate)
        .append(" requests/s for ")
        .append(o.soakDuration.toSeconds())
        .append(" s after a ")
        .append(o.warmup.toMillis())
        .append(" ms warm-up, at most ")
        .append(o.maxOutstanding)
        .append(" requests in flight; latency is measured from each request's due time.\n");
    md.append("- Each row but the first and the last is one window of the measured phase; its ")
        .append("last six columns are a sample taken at the window's end. A sample calls ")
        .append("System.gc() ")
        .append(GC_CALLS)
        .append(" times before reading the heap, ")
        .append("which stops the service too: its pause (GC calls) lands in the next ")
        .append("window's tail.\n\n");
    ResultTable.columns(md, COLUMNS, 1);
    if (before != null) {
      md.append("| before the load | | | | | | | | | | ");
      appendSample(md, before);
    }
    Tally total = new Tally();
    long elapsed = 0;
    for (int w = 0; w < results.size(); w++) {
      LoadResult r = results.get(w);
      total.add(r.tally());
      elapsed += r.elapsedNanos();
      md.append("| ").append(r.load()).append(" | ");
      ResultTable.appendStats(md, r);
      md.append(" | ");
      Sample s;
      synchronized (samples) {
        s = w < samples.size() ? samples.get(w) : null;
      }
      if (s == null) {
        md.append("n/a | n/a | n/a | n/a | n/a | n/a |\n");
      } else {
        appendSample(md, s);
      }
    }
    if (after != null) {
      md.append("| after the load | | | | | | | | | | ");
      appendSample(md, after);
    }
    if (!results.isEmpty()) {
      LoadResult whole = new LoadResult(name, "whole soak", total, elapsed, null);
      md.append("| **whole soak** | ");
      ResultTable.appendStats(md, whole);
      md.append(" | | | | | | |\n");
    }
    if (before != null && after != null) {
      notes.add(
          String.format(
              Locale.ROOT,
              "heap after GC went from %.1f MB before the load to %.1f MB after it (%+.1f MB)",
              mb(before.heapBytes()),
              mb(after.heapBytes()),
              mb(after.heapBytes() - before.heapBytes())));
    }
    ResultTable.notes(md, notes, results);
    return md.toString();
  }

  private static void appendSample(StringBuilder md, Sample s) {
    md.append(s.inFlight())
        .append(" | ")
        .append(s.behind())
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f", mb(s.heapBytes())))
        .append(" | ")
        .append(s.gcMillis())
        .append(" | ")
        .append(s.threads())
        .append(" | ")
        .append(s.fds())
        .append(" |\n");
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** A generous upper bound of the soak, for the {@link Watchdog}. */
  static Duration budget(BenchOptions o) {
    Duration timeout = o.timeout.plusSeconds(10);
    return BenchMain.CONTENDER_OVERHEAD
        .plus(BenchMain.FIRST_REPLY_TIMEOUT)
        .plus(o.settle)
        .plus(o.warmup)
        .plus(o.soakDuration)
        .plus(timeout.multipliedBy(2))
        .plusMinutes(2);
  }
}
