package org.sparkserving.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command line of {@link BenchMain}; see {@link #USAGE}. */
final class BenchOptions {

  static final String USAGE =
      """
      Usage: BenchMain [options]
        --contenders LIST      contenders to measure, in order
                               (default bare,head-microbatch,head-continuous,head-realtime;
                               on a standalone cluster on 127.0.0.1: dist-microbatch-1,
                               dist-microbatch-2, cluster-head-microbatch, dist-continuous)
        --concurrency LIST     closed-loop client counts (default 1,16,64; "none" for none)
        --rates LIST           open-loop rates in requests/s, e.g. 100,1000 (default none)
        --sweep RATE           open-loop sweep: from RATE, doubling, until a step fails
                               (default 500; "none" for no sweep)
        --sweep-max RATE       highest rate the sweep tries (default 128000)
        --sweep-p99 D          a sweep step fails if its p99 exceeds D (default 50ms); it also
                               fails on any error or mismatch, or below 90% of the target rate
        --settle D             after a contender's first reply, an unmeasured closed loop of
                               16 clients for D, so the JIT has compiled its hot code before
                               the first load (default 5s; 0s for none)
        --sequential N         one client sending N requests one after another (default 0: none)
        --duration D           measured phase of each closed/open load (default 5s)
        --warmup D             unmeasured warm-up before every load (default 2s)
        --timeout D            per-request connect/read timeout (default 5s)
        --max-outstanding N    open loop: most requests in flight (default 256)
        --sequential-limit D   time limit of the sequential load (default 300s)
        --spark-conf K=V       a Spark setting for the Spark contenders (repeatable)
        --sink-option K=V      an option for their writeStream (repeatable)
        --realtime-batch D     head-realtime: Trigger.RealTime batch duration (default 30s)
        --soak                 instead of the table: a soak of one contender (see below)
        --soak-contender NAME  contender of the soak (default head-continuous)
        --soak-rate R          open-loop rate of the soak in requests/s (default 2000)
        --soak-duration D      measured length of the soak (default 3m)
        --soak-every D         sample heap and in-flight requests this often (default 30s)
        --out FILE             also write the Markdown table to FILE
      Durations: 500ms, 10s, 2m.
      """;

  List<String> contenders = List.of("bare", "head-microbatch", "head-continuous", "head-realtime");
  List<Integer> concurrency = List.of(1, 16, 64);
  List<Integer> rates = List.of();
  int sweepFrom = 500;
  int sweepMax = 128_000;
  Duration sweepP99 = Duration.ofMillis(50);
  Duration settle = Duration.ofSeconds(5);
  int sequential;
  Duration duration = Duration.ofSeconds(5);
  Duration warmup = Duration.ofSeconds(2);
  Duration timeout = Duration.ofSeconds(5);
  int maxOutstanding = 256;
  Duration sequentialLimit = Duration.ofSeconds(300);
  final Map<String, String> sparkConf = new LinkedHashMap<>();
  final Map<String, String> sinkOptions = new LinkedHashMap<>();
  Duration realTimeBatch = Duration.ofSeconds(30);
  boolean soak;
  String soakContender = "head-continuous";
  int soakRate = 2000;
  Duration soakDuration = Duration.ofMinutes(3);
  Duration soakEvery = Duration.ofSeconds(30);
  Path out;
  boolean help;

  /** The arguments as given, for the report's header. */
  String commandLine = "";

  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    o.commandLine = String.join(" ", args);
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        o.help = true;
        return o;
      }
      if (flag.equals("--soak")) {
        o.soak = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--contenders" -> o.contenders = names(value);
        case "--concurrency" -> o.concurrency = positiveInts(flag, value);
        case "--rates" -> o.rates = positiveInts(flag, value);
        case "--sweep" -> o.sweepFrom = value.equalsIgnoreCase("none") ? 0 : positive(flag, value);
        case "--sweep-max" -> o.sweepMax = positive(flag, value);
        case "--sweep-p99" -> o.sweepP99 = duration(flag, value);
        case "--settle" -> o.settle = duration(flag, value);
        case "--sequential" -> o.sequential = nonNegativeInt(flag, value);
        case "--duration" -> o.duration = duration(flag, value);
        case "--warmup" -> o.warmup = duration(flag, value);
        case "--timeout" -> o.timeout = duration(flag, value);
        case "--max-outstanding" -> o.maxOutstanding = positive(flag, value);
        case "--sequential-limit" -> o.sequentialLimit = duration(flag, value);
        case "--spark-conf" -> keyValue(flag, value, o.sparkConf);
        case "--sink-option" -> keyValue(flag, value, o.sinkOptions);
        case "--realtime-batch" -> o.realTimeBatch = duration(flag, value);
        case "--soak-contender" -> o.soakContender = value.trim();
        case "--soak-rate" -> o.soakRate = positive(flag, value);
        case "--soak-duration" -> o.soakDuration = duration(flag, value);
        case "--soak-every" -> o.soakEvery = duration(flag, value);
        case "--out" -> o.out = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + flag);
      }
    }
    for (String c : o.soak ? List.of(o.soakContender) : o.contenders) {
      if (!Contenders.isKnown(c)) {
        throw new IllegalArgumentException(
            "Unknown contender '" + c + "'; known: " + String.join(", ", Contenders.names()));
      }
    }
    if (o.duration.isZero() || o.timeout.isZero() || o.soakDuration.isZero()) {
      throw new IllegalArgumentException(
          "--duration, --timeout and --soak-duration must be positive");
    }
    if (o.soakEvery.isZero() || o.soakEvery.compareTo(o.soakDuration) > 0) {
      throw new IllegalArgumentException(
          "--soak-every must be positive and at most --soak-duration");
    }
    return o;
  }

  int timeoutMs() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  /** The rates of the sweep, in order: from {@link #sweepFrom}, doubling, up to the maximum. */
  List<Integer> sweepRates() {
    List<Integer> steps = new ArrayList<>();
    for (long r = sweepFrom; sweepFrom > 0 && r <= sweepMax; r *= 2) {
      steps.add((int) r);
    }
    return steps;
  }

  private static void keyValue(String flag, String value, Map<String, String> into) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(flag + " expects KEY=VALUE, not " + value);
    }
    into.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
  }

  private static List<String> names(String value) {
    List<String> names = new ArrayList<>();
    for (String s : value.split(",")) {
      if (!s.isBlank()) {
        names.add(s.trim());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--contenders needs at least one name");
    }
    return names;
  }

  private static List<Integer> positiveInts(String flag, String value) {
    if (value.equalsIgnoreCase("none")) {
      return List.of();
    }
    List<Integer> ints = new ArrayList<>();
    for (String s : value.split(",")) {
      ints.add(positive(flag, s.trim()));
    }
    return ints;
  }

  private static int positive(String flag, String value) {
    int n = nonNegativeInt(flag, value);
    if (n == 0) {
      throw new IllegalArgumentException(flag + " values must be positive: " + value);
    }
    return n;
  }

  private static int nonNegativeInt(String flag, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " expects a non-negative integer, not " + value);
    }
  }

  static Duration duration(String flag, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          flag + " expects a duration such as 500ms, 10s or 2m, not " + value);
    }
  }
}
