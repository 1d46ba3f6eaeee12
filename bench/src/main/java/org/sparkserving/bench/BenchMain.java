package org.sparkserving.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs every requested load against every requested contender, one contender at a time, and prints
 * (and optionally writes) a Markdown table; or, with {@code --soak}, a long steady load on one
 * contender (see {@link Soak}). See {@link BenchOptions#USAGE} and {@code bench/README.md}.
 */
public final class BenchMain {

  /** Time allowed for a contender to start and stop (a Spark session takes several seconds). */
  static final Duration CONTENDER_OVERHEAD = Duration.ofMinutes(2);

  /** How long the first request may take: a cold Spark query needs seconds for its first batch. */
  static final Duration FIRST_REPLY_TIMEOUT = Duration.ofSeconds(120);

  /**
   * Clients of the settling phase: enough for a micro-batch query to run many batches with several
   * requests each, so its planning and task code is compiled before the first load.
   */
  private static final int SETTLE_CLIENTS = 16;

  /** A pause between sweep steps, so one step's stragglers do not land in the next. */
  private static final long SWEEP_PAUSE_MS = 500;

  private BenchMain() {}

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.print(BenchOptions.USAGE);
      System.exit(0);
    }
    Watchdog.start(options.soak ? Soak.budget(options) : budget(options));
    int status = 1;
    try {
      status = options.soak ? Soak.run(options) : run(options);
    } catch (RuntimeException | Error e) {
      // Still exit below: Spark's non-daemon threads would keep the JVM alive.
      System.err.println("Benchmark failed: " + e);
      e.printStackTrace();
    } finally {
      // Also a shutdown hook, but the run is over: free the cluster's cores and memory now.
      BenchCluster.close();
    }
    // Spark leaves non-daemon threads behind even after stop(): exit explicitly.
    System.exit(status);
  }

  private static int run(BenchOptions options) {
    ZonedDateTime startedAt = ZonedDateTime.now();
    RequestBodies bodies = new RequestBodies();
    List<LoadResult> rows = new ArrayList<>();
    List<SweepResult> sweeps = new ArrayList<>();
    List<String> startupNotes = new ArrayList<>();
    int status = 0;
    for (String name : options.contenders) {
      Contender contender = Contenders.create(name, options);
      boolean ok =
          withStarted(
              contender,
              bodies,
              options,
              startupNotes,
              target -> measure(options, contender, target, rows, sweeps));
      status = ok ? status : 1;
    }
    String table = ResultTable.render(options, startedAt, startupNotes, rows, sweeps);
    return publish(options.out, table) ? status : 1;
  }

  /** What to do with a started contender. */
  interface Session {
    void run(LoadTarget target) throws Exception;
  }

  /**
   * Starts a contender, waits for its first reply, runs {@code session} and stops the contender
   * whatever happened. What a reader should know about the start, or the failure, goes to {@code
   * notes}.
   *
   * @return false if anything failed
   */
  static boolean withStarted(
      Contender contender,
      RequestBodies bodies,
      BenchOptions options,
      List<String> notes,
      Session session) {
    String name = contender.name();
    try {
      session.run(start(contender, bodies, options, notes));
      return true;
    } catch (Exception e) {
      System.err.println("Contender " + name + " failed: " + e);
      e.printStackTrace();
      notes.add(name + ": failed: " + e);
      return false;
    } finally {
      progress("stopping " + name);
      contender.stop();
    }
  }

  private static LoadTarget start(
      Contender contender, RequestBodies bodies, BenchOptions options, List<String> notes)
      throws Exception {
    String name = contender.name();
    progress("starting " + name);
    Contender.Endpoint endpoint = contender.start();
    progress(name + " listens at " + String.join(", ", endpoint.urls()));
    if (contender.setupNote() != null) {
      notes.add(contender.setupNote());
    }
    // Each URL's server gets its cold start out of the way (in distributed mode, each executor
    // plans and compiles its part of the query on its first request).
    for (String url : endpoint.urls()) {
      String first = firstReply(name, url, endpoint, bodies);
      progress(first);
      notes.add(first);
    }
    LoadTarget target = new LoadTarget(endpoint, bodies, options.timeoutMs());
    if (!options.settle.isZero()) {
      progress(name + ": settling for " + options.settle.toMillis() + " ms");
      LoadResult settled =
          new ClosedLoop(target)
              .run(name, "settle", SETTLE_CLIENTS, Long.MAX_VALUE, Duration.ZERO, options.settle);
      contender.loadNote(); // the settling batches are not the first load's
      notes.add(
          String.format(
                  Locale.ROOT,
                  "%s: settled with %d unmeasured requests from %d clients in %d ms (%d errors)",
                  name,
                  settled.tally().ok,
                  SETTLE_CLIENTS,
                  options.settle.toMillis(),
                  settled.tally().errors + settled.tally().mismatches)
              + (settled.tally().firstError == null
                  ? ""
                  : "; first error: " + settled.tally().firstError));
    }
    return target;
  }

  /** Prints the table on stdout and writes it to {@code out} if given; false if that failed. */
  static boolean publish(Path out, String text) {
    System.out.println();
    System.out.print(text);
    if (out == null) {
      return true;
    }
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, text, StandardCharsets.UTF_8);
      progress("wrote " + out);
      return true;
    } catch (IOException e) {
      System.err.println("Could not write " + out + ": " + e);
      return false;
    }
  }

  private static void measure(
      BenchOptions o,
      Contender contender,
      LoadTarget target,
      List<LoadResult> rows,
      List<SweepResult> sweeps)
      throws InterruptedException {
    String name = contender.name();
    ClosedLoop closed = new ClosedLoop(target);
    if (o.sequential > 0) {
      String label = "sequential " + o.sequential;
      progress(name + ": " + label);
      LoadResult r = closed.run(name, label, 1, o.sequential, o.warmup, o.sequentialLimit);
      rows.add(report(r.withNote(contender.loadNote())));
    }
    for (int clients : o.concurrency) {
      String label = "closed c=" + clients;
      progress(name + ": " + label);
      LoadResult r = closed.run(name, label, clients, Long.MAX_VALUE, o.warmup, o.duration);
      rows.add(report(r.withNote(contender.loadNote())));
    }
    OpenLoop open = new OpenLoop(target);
    for (int rate : o.rates) {
      rows.add(openLoad(o, contender, open, rate));
    }
    List<Integer> steps = o.sweepRates();
    if (steps.isEmpty()) {
      return;
    }
    LoadResult held = null;
    int heldRate = 0;
    boolean repeated = false;
    for (int i = 0; i < steps.size(); i++) {
      int rate = steps.get(i);
      long gapsBefore = contender.servingGaps();
      LoadResult r = openLoad(o, contender, open, rate);
      String why = SweepResult.failure(r, rate, o.sweepP99);
      boolean gap = contender.servingGaps() > gapsBefore;
      if (why != null && gap && !repeated) {
        // Bounded: each step is repeated at most once.
        rows.add(
            r.withNote(
                "a batch boundary (gap in serving) fell in this step and it did not "
                    + "hold ("
                    + why
                    + "): the sweep repeats it once"));
        progress(name + ": " + rate + "/s met a batch boundary (" + why + "); repeating it");
        repeated = true;
        i--;
        Thread.sleep(SWEEP_PAUSE_MS);
        continue;
      }
      repeated = false;
      rows.add(gap ? r.withNote("a batch boundary (gap in serving) fell in this step") : r);
      if (why != null) {
        progress(name + ": sweep stops at " + rate + "/s: " + why);
        sweeps.add(
            new SweepResult(
                name,
                held,
                heldRate,
                rate,
                gap ? why + " (a batch boundary fell in this step too)" : why));
        return;
      }
      held = r;
      heldRate = rate;
      Thread.sleep(SWEEP_PAUSE_MS);
    }
    sweeps.add(new SweepResult(name, held, heldRate, 0, "every step up to --sweep-max held"));
  }

  private static LoadResult openLoad(BenchOptions o, Contender contender, OpenLoop open, int rate)
      throws InterruptedException {
    String label = "open " + rate + "/s";
    progress(contender.name() + ": " + label);
    LoadResult r = open.run(contender.name(), label, rate, o.maxOutstanding, o.warmup, o.duration);
    return report(r.withNote(contender.loadNote()));
  }

  /**
   * Sends one request and waits for its reply, however long the first one takes. A Spark query's
   * first batch plans and generates code for seconds; without this, that cold start would eat the
   * first load's warm-up (a sequential warm-up would then be a single request) and its time would
   * not be reported anywhere.
   */
  private static String firstReply(
      String name, String url, Contender.Endpoint endpoint, RequestBodies bodies) {
    Tally probe = new Tally();
    long start = System.nanoTime();
    try (SimulatedClient client =
        new SimulatedClient(url, endpoint, bodies, (int) FIRST_REPLY_TIMEOUT.toMillis())) {
      client.call(start, probe);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String where = endpoint.urls().size() == 1 ? "" : " from " + url;
    if (probe.ok == 1) {
      return name + ": first reply" + where + " " + ms + " ms after the service was reachable";
    }
    String why = probe.firstError != null ? probe.firstError : probe.firstMismatch;
    return name + ": first request" + where + " failed after " + ms + " ms: " + why;
  }

  /** One line per finished load, so a long run shows it is alive. */
  static LoadResult report(LoadResult r) {
    progress(
        String.format(
            Locale.ROOT,
            "  %s %s: %d requests, %.1f req/s, p50 %.3f ms, p99 %.3f ms, %d errors, %d mismatches",
            r.contender(),
            r.load(),
            r.tally().requests(),
            r.throughput(),
            r.percentileMs(50),
            r.percentileMs(99),
            r.tally().errors + r.tally().notSent,
            r.tally().mismatches));
    return r;
  }

  static void progress(String line) {
    System.err.println("[bench] " + line);
  }

  /** A generous upper bound of the whole run, for the {@link Watchdog}. */
  static Duration budget(BenchOptions o) {
    Duration timeout = o.timeout.plusSeconds(10);
    Duration perContender =
        CONTENDER_OVERHEAD.plus(FIRST_REPLY_TIMEOUT).plus(o.settle).plus(timeout).plus(timeout);
    if (o.sequential > 0) {
      perContender = perContender.plus(o.warmup).plus(o.sequentialLimit).plus(timeout);
    }
    // A sweep step may run twice (see servingGaps).
    int loads = o.concurrency.size() + o.rates.size() + 2 * o.sweepRates().size();
    Duration perLoad =
        o.warmup.plus(o.duration).plus(timeout).plus(timeout).plusMillis(SWEEP_PAUSE_MS);
    perContender = perContender.plus(perLoad.multipliedBy(loads));
    return perContender.multipliedBy(o.contenders.size()).plusMinutes(1);
  }
}
