package org.sparkserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.StandaloneCluster;

/**
 * No orphans: the executor servers of a driver that stops renewing their leases stop themselves,
 * answer their waiting clients 503 and free their ports, while the executor JVMs still run (so it
 * is the lease that freed them, not the executor's exit).
 */
class LeaseIT extends ClusterTestBase {

  /** Long enough that a driver starved of CPU on a loaded test machine still renews in time. */
  private static final long LEASE_MS = 10_000;

  /** Gives this class's cores to the second driver: the test JVM's app keeps no executors. */
  @BeforeAll
  static void freeTheCores() {
    for (ProcessHandle executor : cluster.executors()) {
      spark.sparkContext().killExecutor(StandaloneCluster.executorId(executor));
    }
    Await.until(
        Duration.ofSeconds(60),
        "the test JVM's executors gone",
        () ->
            spark.sparkContext().statusTracker().getExecutorInfos().length == 1
                && cluster.executors().isEmpty());
  }

  @Test
  void theServersOfAHungDriverStopThemselvesWithinTheLease() throws Exception {
    Process driver = startDriver();
    try {
      List<String> urls = awaitUrls(driver);
      assertThat(urls).hasSize(2);
      for (String url : urls) {
        assertThat(Http.post(url, "hello").body()).isEqualTo("hello!");
      }
      List<ProcessHandle> executors = cluster.executors();
      assertThat(executors).hasSize(2);

      // The driver hangs: no renewal, no stop call; its connections stay open, so Spark keeps the
      // executors alive.
      long frozenAt = System.nanoTime();
      signal("STOP", driver.pid());
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (String url : urls) {
        waiting.add(Http.postAsync(url, "anyone?"));
      }
      Await.until(
          Duration.ofSeconds(60),
          "every executor port of the hung driver freed",
          () -> urls.stream().allMatch(LeaseIT::refused));
      long freedMs = (System.nanoTime() - frozenAt) / 1_000_000L;
      assertThat(executors)
          .as("the executor JVMs still run: the lease, not their exit, freed the ports")
          .allMatch(ProcessHandle::isAlive);
      for (CompletableFuture<HttpResponse<String>> w : waiting) {
        assertThat(w.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      }
      System.out.printf(
          "Lease %d ms: every orphaned port freed %d ms after the driver hung%n",
          LEASE_MS, freedMs);
    } finally {
      driver.destroyForcibly();
      driver.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Process startDriver() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dserving.jar=" + StandaloneCluster.required("serving.jar"));
    command.add("-Dserving.testClasses=" + StandaloneCluster.required("serving.testClasses"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OrphanDriverMain.class.getName());
    command.add(cluster.masterUrl());
    command.add(LEASE_MS + "ms");
    command.add(bed.rootAddress());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", bed.rootAddress());
    return pb.start();
  }

  /** Reads the driver's output until READY; returns the URLs it printed. */
  private static List<String> awaitUrls(Process driver) {
    List<String> urls = new CopyOnWriteArrayList<>();
    List<String> output = new CopyOnWriteArrayList<>();
    boolean[] ready = {false};
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.add(line);
                  System.out.println("driver> " + line);
                  if (line.startsWith("URL ")) {
                    urls.add(line.substring(4));
                  } else if (line.equals("READY")) {
                    ready[0] = true;
                  }
                }
              } catch (IOException e) {
                // the driver was killed
              }
            },
            "orphan-driver-output");
    reader.setDaemon(true);
    reader.start();
    Await.until(
        Duration.ofSeconds(180),
        "the second driver's servers (output so far: " + output + ")",
        () -> ready[0] || !driver.isAlive());
    assertThat(driver.isAlive()).as("the second driver runs; its output: %s", output).isTrue();
    return urls;
  }

  /** True when nothing listens at the URL's port any more. */
  private static boolean refused(String url) {
    URI uri = URI.create(url);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void signal(String name, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor())
        .isZero();
  }
}
