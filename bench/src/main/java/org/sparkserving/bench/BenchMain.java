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
 * Runs every requested load against every requested contender, one contender at a time, and
 * prints (and optionally writes) a Markdown table. See {@link BenchOptions#USAGE} and
 * {@code bench/README.md}.
 */
public final class BenchMain {

  /** Time allowed for a contender to start and stop (a Spark session takes several seconds). */
  private static final Duration CONTENDER_OVERHEAD = Duration.ofMinutes(2);

  /** How long the first request may take: a cold Spark query needs seconds for its first batch. */
  private static final Duration FIRST_REPLY_TIMEOUT = Duration.ofSeconds(120);

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
    Watchdog.start(budget(options));
    int status = run(options);
    // Spark leaves non-daemon threads behind even after stop(): exit explicitly.
    System.exit(status);
  }

  private static int run(BenchOptions options) {
    ZonedDateTime startedAt = ZonedDateTime.now();
    RequestBodies bodies = new RequestBodies();
    List<LoadResult> rows = new ArrayList<>();
    List<String> startupNotes = new ArrayList<>();
    int status = 0;
    for (String name : options.contenders) {
      Contender contender = Contenders.create(name);
      try {
        progress("starting " + name);
        Contender.Endpoint endpoint = contender.start();
        progress(name + " listens at " + endpoint.url());
        String firstReply = firstReply(name, endpoint, bodies);
        progress(firstReply);
        startupNotes.add(firstReply);
        measure(options, contender, endpoint, bodies, rows);
      } catch (Exception e) {
        System.err.println("Contender " + name + " failed: " + e);
        e.printStackTrace();
        status = 1;
      } finally {
        progress("stopping " + name);
        contender.stop();
      }
    }
    String table = ResultTable.render(options, startedAt, startupNotes, rows);
    System.out.println();
    System.out.print(table);
    if (options.out != null) {
      try {
        Path parent = options.out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(options.out, table, StandardCharsets.UTF_8);
        progress("wrote " + options.out);
      } catch (IOException e) {
        System.err.println("Could not write " + options.out + ": " + e);
        status = 1;
      }
    }
    return status;
  }

  private static void measure(
      BenchOptions o,
      Contender contender,
      Contender.Endpoint endpoint,
      RequestBodies bodies,
      List<LoadResult> rows)
      throws InterruptedException {
    String name = contender.name();
    ClosedLoop closed = new ClosedLoop(endpoint, bodies, o.timeoutMs());
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
    OpenLoop open = new OpenLoop(endpoint, bodies, o.timeoutMs());
    for (int rate : o.rates) {
      String label = "open " + rate + "/s";
      progress(name + ": " + label);
      LoadResult r = open.run(name, label, rate, o.maxOutstanding, o.warmup, o.duration);
      rows.add(report(r.withNote(contender.loadNote())));
    }
  }

  /**
   * Sends one request and waits for its reply, however long the first one takes. A Spark query's
   * first batch plans and generates code for seconds; without this, that cold start would eat the
   * first load's warm-up (a sequential warm-up would then be a single request) and its time would
   * not be reported anywhere.
   */
  private static String firstReply(String name, Contender.Endpoint endpoint, RequestBodies bodies) {
    Tally probe = new Tally();
    long start = System.nanoTime();
    try (SimulatedClient client =
        new SimulatedClient(endpoint, bodies, (int) FIRST_REPLY_TIMEOUT.toMillis())) {
      client.call(start, probe);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (probe.ok == 1) {
      return name + ": first reply " + ms + " ms after the service was reachable";
    }
    String why = probe.firstError != null ? probe.firstError : probe.firstMismatch;
    return name + ": first request failed after " + ms + " ms: " + why;
  }

  /** One line per finished load, so a long run shows it is alive. */
  private static LoadResult report(LoadResult r) {
    progress(
        String.format(
            Locale.ROOT,
            "  %s %s: %d requests, %.1f req/s, p50 %.3f ms, p99 %.3f ms, %d errors, %d mismatches",
            r.contender(), r.load(), r.tally().requests(), r.throughput(), r.percentileMs(50),
            r.percentileMs(99), r.tally().errors + r.tally().notSent, r.tally().mismatches));
    return r;
  }

  private static void progress(String line) {
    System.err.println("[bench] " + line);
  }

  /** A generous upper bound of the whole run, for the {@link Watchdog}. */
  static Duration budget(BenchOptions o) {
    Duration timeout = o.timeout.plusSeconds(10);
    Duration perContender = CONTENDER_OVERHEAD.plus(FIRST_REPLY_TIMEOUT);
    if (o.sequential > 0) {
      perContender = perContender.plus(o.warmup).plus(o.sequentialLimit).plus(timeout);
    }
    int loads = o.concurrency.size() + o.rates.size();
    Duration perLoad = o.warmup.plus(o.duration).plus(timeout).plus(timeout);
    perContender = perContender.plus(perLoad.multipliedBy(loads));
    return perContender.multipliedBy(o.contenders.size()).plusMinutes(1);
  }
}
