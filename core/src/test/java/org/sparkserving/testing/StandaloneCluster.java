package org.sparkserving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster for multi-JVM tests: a master and workers (one core each) as
 * separate JVMs started from a {@code SPARK_HOME} of Maven's Spark jars, on free ports. Either all
 * on 127.0.0.1 ({@link #start}), or each on a host of its own on a {@link HostBed} ({@link
 * #startOn}): the master on the bed's first host, worker {@code i} on host {@code i + 1}, each
 * binding and advertising its host's address. Every process it starts, and the executors those
 * start, are stopped by PID on {@link #close()}.
 */
public final class StandaloneCluster implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path sparkHome;
  private final String scalaVersion;
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final String masterUrl;

  /** The bed the processes run on, or null when they all run on 127.0.0.1. */
  private final HostBed bed;

  private StandaloneCluster(Path sparkHome, String scalaVersion, int workerCount, HostBed bed)
      throws IOException {
    this.sparkHome = sparkHome;
    this.scalaVersion = scalaVersion;
    this.bed = bed;
    this.dir = Files.createTempDirectory("standalone-cluster");
    int port = freePort();
    HostBed.Host masterHost = bed == null ? null : bed.host(0);
    String masterAddress = address(masterHost);
    this.masterUrl = "spark://" + masterAddress + ":" + port;
    Path masterLog = dir.resolve("master.log");
    try {
      start(
          masterLog,
          masterHost,
          "org.apache.spark.deploy.master.Master",
          "--host",
          masterAddress,
          "--port",
          Integer.toString(port),
          "--webui-port",
          Integer.toString(freePort()));
      awaitLog(masterLog, "I have been elected leader");
      for (int i = 0; i < workerCount; i++) {
        addWorker();
      }
    } catch (IOException | RuntimeException | Error e) {
      // The caller never gets this object to close: stop what already started.
      close();
      throw e;
    }
  }

  /**
   * Starts a cluster from the SPARK_HOME and Scala version the build passes in ({@code
   * serving.sparkHome}, {@code serving.scalaVersion}).
   */
  public static StandaloneCluster start(int workers) {
    return startOn(null, workers);
  }

  /**
   * Starts a cluster on {@code bed} (null: on 127.0.0.1): the master on its first host and one
   * worker on each of the next {@code workers} hosts; the bed must have a host to spare for every
   * later {@link #addWorker()}.
   */
  public static StandaloneCluster startOn(HostBed bed, int workers) {
    try {
      return new StandaloneCluster(
          Path.of(required("serving.sparkHome")), required("serving.scalaVersion"), workers, bed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String address(HostBed.Host host) {
    return host == null ? "127.0.0.1" : host.address();
  }

  /** The host worker {@code i} runs on, or null when the cluster runs on 127.0.0.1. */
  public HostBed.Host workerHost(int i) {
    return bed == null ? null : bed.host(i + 1);
  }

  public static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "System property " + property + " is not set: run the cluster tests with mvn verify");
    }
    return value;
  }

  public String masterUrl() {
    return masterUrl;
  }

  /** Starts one more worker with one core and waits until it registered. */
  public void addWorker() throws IOException {
    int n = workers.size();
    Path log = dir.resolve("worker-" + n + ".log");
    Path work = Files.createDirectories(dir.resolve("work-" + n));
    HostBed.Host host = workerHost(n);
    Process worker =
        start(
            log,
            host,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            address(host),
            "--cores",
            "1",
            "--memory",
            "1g",
            "--webui-port",
            Integer.toString(freePort()),
            "--work-dir",
            work.toString(),
            masterUrl);
    workers.add(worker);
    awaitLog(log, "Successfully registered with master");
  }

  /** The executor JVMs running now (children of the workers). */
  public List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      out.addAll(executorsOf(i));
    }
    return out;
  }

  /** The executor JVMs worker {@code i} runs now. */
  public List<ProcessHandle> executorsOf(int i) {
    return workers
        .get(i)
        .toHandle()
        .descendants()
        .filter(p -> p.isAlive() && commandLine(p).contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** The executor id a running executor JVM was started with. */
  public static String executorId(ProcessHandle executor) {
    String[] args = executor.info().arguments().orElse(new String[0]);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--executor-id")) {
        return args[i + 1];
      }
    }
    throw new IllegalStateException("No --executor-id in " + commandLine(executor));
  }

  private static String commandLine(ProcessHandle p) {
    Optional<String> line = p.info().commandLine();
    return line.orElse("");
  }

  private Process start(Path log, HostBed.Host host, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    // On a bed, "ip netns exec" sets the namespace and then execs java: the PID is the JVM's.
    ProcessBuilder pb = new ProcessBuilder(host == null ? command : host.command(command));
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", scalaVersion);
    env.put("SPARK_LOCAL_IP", address(host));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static void awaitLog(Path log, String line) {
    Await.until(
        START_TIMEOUT,
        "'" + line + "' in " + log,
        () -> {
          try {
            return Files.exists(log) && Files.readString(log).contains(line);
          } catch (IOException e) {
            return false;
          }
        });
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops the workers (and every executor they started) and the master, by PID. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      p.toHandle().descendants().forEach(all::add);
      all.add(p.toHandle());
    }
    for (ProcessHandle p : all) {
      p.destroy();
    }
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    deleteDirectory();
  }

  /** Removes the logs and work directories, unless asked to keep them for a diagnosis. */
  private void deleteDirectory() {
    if (Boolean.getBoolean("serving.keepClusterLogs")) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory does not affect any test.
    }
  }
}
