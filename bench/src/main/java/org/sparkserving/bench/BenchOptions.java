package org.sparkserving.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line of {@link BenchMain}; see {@link #USAGE}. */
final class BenchOptions {

  static final String USAGE =
      """
      Usage: BenchMain [options]
        --contenders LIST      contenders to measure, in order (default bare,head-microbatch)
        --concurrency LIST     closed-loop client counts, e.g. 1,32 (default 1,32; "none" for none)
        --rates LIST           open-loop rates in requests/s, e.g. 100,1000 (default none)
        --sequential N         one client sending N requests one after another (default 0: none)
        --duration D           measured phase of each closed/open load (default 10s)
        --warmup D             unmeasured warm-up before every load (default 3s)
        --timeout D            per-request connect/read timeout (default 30s)
        --max-outstanding N    open loop: most requests in flight (default 256)
        --sequential-limit D   time limit of the sequential load (default 300s)
        --out FILE             also write the Markdown table to FILE
      Durations: 500ms, 10s, 2m.
      """;

  List<String> contenders = List.of("bare", "head-microbatch");
  List<Integer> concurrency = List.of(1, 32);
  List<Integer> rates = List.of();
  int sequential;
  Duration duration = Duration.ofSeconds(10);
  Duration warmup = Duration.ofSeconds(3);
  Duration timeout = Duration.ofSeconds(30);
  int maxOutstanding = 256;
  Duration sequentialLimit = Duration.ofSeconds(300);
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
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--contenders" -> o.contenders = names(value);
        case "--concurrency" -> o.concurrency = positiveInts(flag, value);
        case "--rates" -> o.rates = positiveInts(flag, value);
        case "--sequential" -> o.sequential = nonNegativeInt(flag, value);
        case "--duration" -> o.duration = duration(flag, value);
        case "--warmup" -> o.warmup = duration(flag, value);
        case "--timeout" -> o.timeout = duration(flag, value);
        case "--max-outstanding" -> o.maxOutstanding = Math.max(1, nonNegativeInt(flag, value));
        case "--sequential-limit" -> o.sequentialLimit = duration(flag, value);
        case "--out" -> o.out = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + flag);
      }
    }
    for (String c : o.contenders) {
      if (!Contenders.isKnown(c)) {
        Contenders.create(c); // throws, naming the known ones
      }
    }
    if (o.duration.isZero() || o.timeout.isZero()) {
      throw new IllegalArgumentException("--duration and --timeout must be positive");
    }
    return o;
  }

  int timeoutMs() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
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
      int n = nonNegativeInt(flag, s.trim());
      if (n == 0) {
        throw new IllegalArgumentException(flag + " values must be positive: " + value);
      }
      ints.add(n);
    }
    return ints;
  }

  private static int nonNegativeInt(String flag, String value) {
    try {
      int n = Integer.parseInt(value);
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
