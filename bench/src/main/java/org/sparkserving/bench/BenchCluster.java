package org.sparkserving.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sparkserving.Serving;
import org.sparkserving.testing.StandaloneCluster;

/**
 * The real Spark standalone cluster the cluster contenders share: a master and {@link #WORKERS}
 * one-core workers on 127.0.0.1, each a JVM of its own, started from a {@code SPARK_HOME} of
 * Maven's Spark jars (core's test harness, {@link StandaloneCluster}). Each cluster contender is
 * its own Spark application on it, and takes one or two executors with {@code spark.cores.max}.
 *
 * <p>It starts on first use, so a run without cluster contenders starts no process, and stays up
 * for the rest of the run. Every process it starts is stopped by PID: at the end of the run ({@link
 * BenchMain}), by a shutdown hook (an exception, Ctrl-C, {@code System.exit}), or by the {@link
 * Watchdog} before it halts the JVM (a halt runs no hook). The hook also stops any process of this
 * JVM's that still runs from the cluster's Spark jars, such as part of a cluster whose start failed
 * halfway.
 */
final class BenchCluster {

  /** Workers, hence the most executors (one core each) an application can get. */
  static final int WORKERS = 2;

  /** Where bench/run's build copies Spark's jars, relative to the repository root. */
  private static final String DEFAULT_SPARK_HOME = "bench/target/spark-home";

  private static final long PROCESS_EXIT_WAIT_SECONDS = 10;

  private static volatile StandaloneCluster cluster;
  private static boolean hookInstalled;

  private BenchCluster() {}

  /** The master's URL, starting the cluster first if it is not up yet. */
  static synchronized String masterUrl() {
    if (cluster == null) {
      installHook();
      configureHarness();
      BenchMain.progress(
          "starting a standalone cluster on 127.0.0.1: a master and " + WORKERS + " workers");
      long start = System.nanoTime();
      try {
        cluster = StandaloneCluster.start(WORKERS);
      } catch (AssertionError e) {
        // The harness reports a start that timed out as an AssertionError (it is test code).
        throw new IllegalStateException("The standalone cluster did not start: " + e, e);
      }
      BenchMain.progress(
          "cluster up at "
              + cluster.masterUrl()
              + " after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
              + " ms");
    }
    return cluster.masterUrl();
  }

  /**
   * The library's packaged jar, which executors fetch from the driver through {@code spark.jars}:
   * the very jar the bench runs with, so both sides run the same build.
   */
  static String servingJar() {
    try {
      Path jar = Path.of(Serving.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "The cluster contenders ship the library's packaged jar to executors, but it was"
                + " loaded from "
                + jar
                + "; run them with bench/run");
      }
      return jar.toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops every process the cluster started, by PID, and any child of this JVM left over. */
  static void close() {
    StandaloneCluster c = cluster;
    cluster = null;
    if (c != null) {
      BenchMain.progress("stopping the standalone cluster");
      c.close();
    }
    stopLeftoverChildren();
  }

  /**
   * The harness reads its SPARK_HOME and Scala version from system properties ({@code
   * serving.sparkHome}, {@code serving.scalaVersion}); bench/run passes the first, and the Scala
   * version is this JVM's own.
   */
  private static void configureHarness() {
    if (System.getProperty("serving.sparkHome") == null) {
      System.setProperty("serving.sparkHome", Path.of(DEFAULT_SPARK_HOME).toAbsolutePath() + "");
    }
    Path jars = Path.of(System.getProperty("serving.sparkHome"), "jars");
    if (!Files.isDirectory(jars)) {
      throw new IllegalStateException(
          "No Spark jars in "
              + jars
              + ": build with `mvn -pl bench -am package -DskipTests` (bench/run does)");
    }
    if (System.getProperty("serving.scalaVersion") == null) {
      String full = scala.util.Properties.versionNumberString();
      System.setProperty("serving.scalaVersion", full.substring(0, full.lastIndexOf('.')));
    }
  }

  private static void installHook() {
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(BenchCluster::close, "bench-cluster-stop"));
      hookInstalled = true;
    }
  }

  /**
   * Stops, by PID, every descendant of this JVM that still runs from the cluster's Spark jars: a
   * master, worker or executor whose handle was lost in a failed start. Other children are left
   * alone: Spark's own shutdown hooks run short-lived helpers ({@code rm}) at the same time.
   */
  private static void stopLeftoverChildren() {
    String sparkHome = System.getProperty("serving.sparkHome");
    if (sparkHome == null) {
      return; // no cluster was ever configured, so none can be left over
    }
    String jars = Path.of(sparkHome, "jars").toString();
    List<ProcessHandle> left = new ArrayList<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(jars))
        .forEach(left::add);
    if (left.isEmpty()) {
      return;
    }
    BenchMain.progress("stopping " + left.size() + " leftover child process(es)");
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(PROCESS_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }
}
