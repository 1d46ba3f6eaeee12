package org.sparkserving.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a reader needs to know about the machine to interpret, or reproduce, the numbers. */
final class SystemInfo {

  private SystemInfo() {}

  static String sparkVersion() {
    try {
      return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    } catch (LinkageError e) {
      return "unknown";
    }
  }

  static String jvm() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
  }

  /** Like {@code nproc}: the processors this JVM may use. */
  static int nproc() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String os() {
    String base =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    String pretty = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME=");
    return pretty == null ? base : pretty.replace("\"", "") + ", " + base;
  }

  /**
   * The 1, 5 and 15 minute load averages from {@code /proc/loadavg}: on a small machine anything
   * else running (a build, another test's cluster) shares the cores with the benchmark, and a load
   * well above what the benchmark itself makes says so.
   */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String cpu() {
    String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
    return model == null ? "unknown" : model.replaceFirst("^\\s*:\\s*", "");
  }

  private static String firstValue(Path file, String prefix) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: the header just says less.
    }
    return null;
  }
}
