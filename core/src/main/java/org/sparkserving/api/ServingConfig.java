package org.sparkserving.api;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.network.util.JavaUtils;
import org.sparkserving.http.EndpointLimits;
import org.sparkserving.http.ServerLimits;

/**
 * The serving options of one reader or writer, parsed and checked once. Every invalid value fails
 * with a message that names the option and what it must be.
 */
public final class ServingConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]*");

  /** How the service is deployed. */
  public enum Mode {
    HEAD,
    DISTRIBUTED
  }

  private final String name;
  private final String host;
  private final boolean hostGiven;
  private final int port;
  private final int registryPort;
  private final long registryHealthTimeoutMs;
  private final Mode mode;
  private final int numPartitions;
  private final int maxPendingRequests;
  private final long maxRequestBytes;
  private final long replyTimeoutMs;
  private final long maxRequestsPerTrigger;
  private final int serverThreads;
  private final String replyCol;
  private final String idCol;
  private final long executorCallTimeoutMs;
  private final long leaseTimeoutMs;
  private final ServerLimits serverLimits;
  private final boolean includeErrorDetails;

  private ServingConfig(Map<String, String> options) {
    Map<String, String> o = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    o.putAll(options);
    this.name = o.get(ServingOptions.NAME);
    if (name != null && !NAME_PATTERN.matcher(name).matches()) {
      throw invalid(
          ServingOptions.NAME, name, "a URL path segment of letters, digits, '.', '_', '~' or '-'");
    }
    this.host = o.getOrDefault(ServingOptions.HOST, ServingOptions.DEFAULT_HOST).trim();
    this.hostGiven = o.containsKey(ServingOptions.HOST);
    this.port = intOption(o, ServingOptions.PORT, ServingOptions.DEFAULT_PORT, 0, 65535);
    this.registryPort =
        intOption(o, ServingOptions.REGISTRY_PORT, ServingOptions.DEFAULT_PORT, 0, 65535);
    this.registryHealthTimeoutMs =
        timeOption(
            o,
            ServingOptions.REGISTRY_HEALTH_TIMEOUT,
            ServingOptions.DEFAULT_REGISTRY_HEALTH_TIMEOUT);
    this.mode = modeOption(o.getOrDefault(ServingOptions.MODE, ServingOptions.DEFAULT_MODE));
    this.numPartitions =
        o.containsKey(ServingOptions.NUM_PARTITIONS)
            ? intOption(o, ServingOptions.NUM_PARTITIONS, null, 1, 100_000)
            : 0;
    this.maxPendingRequests =
        intOption(
            o,
            ServingOptions.MAX_PENDING_REQUESTS,
            ServingOptions.DEFAULT_MAX_PENDING_REQUESTS,
            1,
            Integer.MAX_VALUE);
    this.maxRequestBytes =
        bytesOption(o, ServingOptions.MAX_REQUEST_BYTES, ServingOptions.DEFAULT_MAX_REQUEST_BYTES);
    this.replyTimeoutMs =
        timeOption(o, ServingOptions.REPLY_TIMEOUT, ServingOptions.DEFAULT_REPLY_TIMEOUT);
    this.maxRequestsPerTrigger =
        intOption(
            o,
            ServingOptions.MAX_REQUESTS_PER_TRIGGER,
            ServingOptions.DEFAULT_MAX_REQUESTS_PER_TRIGGER,
            1,
            Integer.MAX_VALUE);
    int processors = Runtime.getRuntime().availableProcessors();
    this.serverThreads =
        intOption(
            o,
            ServingOptions.SERVER_THREADS,
            String.valueOf(Math.max(2, Math.min(8, processors))),
            1,
            256);
    this.replyCol = o.getOrDefault(ServingOptions.REPLY_COL, ServingOptions.DEFAULT_REPLY_COL);
    this.idCol = o.getOrDefault(ServingOptions.ID_COL, ServingOptions.DEFAULT_ID_COL);
    this.executorCallTimeoutMs =
        timeOption(
            o, ServingOptions.EXECUTOR_CALL_TIMEOUT, ServingOptions.DEFAULT_EXECUTOR_CALL_TIMEOUT);
    this.leaseTimeoutMs =
        timeOption(o, ServingOptions.LEASE_TIMEOUT, ServingOptions.DEFAULT_LEASE_TIMEOUT);
    this.includeErrorDetails =
        booleanOption(
            o, ServingOptions.INCLUDE_ERROR_DETAILS, ServingOptions.DEFAULT_INCLUDE_ERROR_DETAILS);
    this.serverLimits = serverLimits(o);
  }

  private static ServerLimits serverLimits(Map<String, String> o) {
    return new ServerLimits(
        intOption(
            o,
            ServingOptions.MAX_CONNECTIONS,
            ServingOptions.DEFAULT_MAX_CONNECTIONS,
            1,
            Integer.MAX_VALUE),
        timeOption(o, ServingOptions.IDLE_TIMEOUT, ServingOptions.DEFAULT_IDLE_TIMEOUT),
        timeOption(
            o, ServingOptions.REQUEST_READ_TIMEOUT, ServingOptions.DEFAULT_REQUEST_READ_TIMEOUT),
        intOption(
            o,
            ServingOptions.MAX_PIPELINED_REQUESTS,
            ServingOptions.DEFAULT_MAX_PIPELINED_REQUESTS,
            1,
            Integer.MAX_VALUE),
        (int)
            bytesOption(
                o, ServingOptions.MAX_OUTBOUND_BYTES, ServingOptions.DEFAULT_MAX_OUTBOUND_BYTES),
        bytesOption(o, ServingOptions.MAX_PENDING_BYTES, ServingOptions.DEFAULT_MAX_PENDING_BYTES),
        (int)
            bytesOption(
                o,
                ServingOptions.MAX_INTERNAL_REQUEST_BYTES,
                ServingOptions.DEFAULT_MAX_INTERNAL_REQUEST_BYTES),
        (int)
            bytesOption(
                o, ServingOptions.MAX_HEADER_BYTES, ServingOptions.DEFAULT_MAX_HEADER_BYTES));
  }

  /** Parses options (keys in any case). */
  public static ServingConfig parse(Map<String, String> options) {
    return new ServingConfig(options);
  }

  /** The message every configuration error uses. */
  public static IllegalArgumentException invalid(String option, String value, String mustBe) {
    return new IllegalArgumentException(
        "Invalid value '" + value + "' for option '" + option + "': must be " + mustBe);
  }

  /** Turns an option's text into a number, throwing NumberFormatException when it is none. */
  private interface NumberParser {
    long parse(String text);
  }

  /** The one path every numeric option takes: parse, check the range, or fail naming it. */
  private static long numberOption(
      Map<String, String> o,
      String key,
      String dflt,
      NumberParser parser,
      long min,
      long max,
      String mustBe) {
    String raw = o.getOrDefault(key, dflt);
    try {
      long v = parser.parse(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below, with what the value must be
    }
    throw invalid(key, raw, mustBe);
  }

  static int intOption(Map<String, String> o, String key, String dflt, int min, long max) {
    return (int)
        numberOption(
            o, key, dflt, Long::parseLong, min, max, "an integer from " + min + " to " + max);
  }

  private static long bytesOption(Map<String, String> o, String key, String dflt) {
    return numberOption(
        o,
        key,
        dflt,
        s ->
            s.chars().allMatch(Character::isDigit)
                ? Long.parseLong(s)
                : JavaUtils.byteStringAsBytes(s),
        1,
        Integer.MAX_VALUE - 1,
        "a positive size in bytes below 2g, such as 65536, 512k or 10m");
  }

  static long timeOption(Map<String, String> o, String key, String dflt) {
    return numberOption(
        o,
        key,
        dflt,
        JavaUtils::timeStringAsMs,
        1,
        Long.MAX_VALUE,
        "a positive duration in milliseconds, or with a unit such as 500ms, 30s, 2m");
  }

  static boolean booleanOption(Map<String, String> o, String key, String dflt) {
    String raw = o.getOrDefault(key, dflt);
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, raw, "true or false");
    };
  }

  private static Mode modeOption(String raw) {
    try {
      return Mode.valueOf(raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(ServingOptions.MODE, raw, "'head' or 'distributed'");
    }
  }

  /** The service name, failing with a clear message when the source was given none. */
  public String requireName() {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Missing option '"
              + ServingOptions.NAME
              + "': the serving source needs a service name, "
              + "e.g. .option(\"name\", \"my_api\"), which it serves at /my_api");
    }
    return name;
  }

  /** The service name, or null when none was given (allowed on the sink). */
  public String name() {
    return name;
  }

  public String host() {
    return host;
  }

  /** The host option if it was given, else {@code fallback} (an executor's own host). */
  public String hostOr(String fallback) {
    return hostGiven ? host : fallback;
  }

  public int port() {
    return port;
  }

  /** Where the driver serves the registry of a distributed service (0: any free port). */
  public int registryPort() {
    return registryPort;
  }

  /** How long the registry lists a server after its last successful health probe. */
  public long registryHealthTimeoutMs() {
    return registryHealthTimeoutMs;
  }

  public Mode mode() {
    return mode;
  }

  /** The numPartitions option, or 0 when it was not set. */
  public int numPartitions() {
    return numPartitions;
  }

  public long maxRequestsPerTrigger() {
    return maxRequestsPerTrigger;
  }

  public int serverThreads() {
    return serverThreads;
  }

  public String replyCol() {
    return replyCol;
  }

  public String idCol() {
    return idCol;
  }

  /** How long the driver waits for an executor's server on a per-trigger call, in ms. */
  public long executorCallTimeoutMs() {
    return executorCallTimeoutMs;
  }

  /** How long an executor's server lives without a lease renewal from the driver, in ms. */
  public long leaseTimeoutMs() {
    return leaseTimeoutMs;
  }

  /** The limits of the server this service starts (README, "Limits"). */
  public ServerLimits serverLimits() {
    return serverLimits;
  }

  /** Whether clients of a failed batch hear the failure's message, not just its class name. */
  public boolean includeErrorDetails() {
    return includeErrorDetails;
  }

  public EndpointLimits limits() {
    return new EndpointLimits(maxPendingRequests, maxRequestBytes, replyTimeoutMs, serverLimits);
  }
}
