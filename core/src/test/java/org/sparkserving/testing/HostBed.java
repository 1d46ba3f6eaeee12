package org.sparkserving.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several "hosts" on one machine: a Linux network namespace per host, each with its own address and
 * its own {@code localhost}, joined by a bridge (in a namespace of its own) that the test JVM's
 * root namespace joins too, as {@code .1} of the subnet. So a process on one host cannot reach
 * another's loopback, exactly as on a real cluster (see notes/multi-host.md).
 *
 * <p>Each bed picks names with this JVM's PID and a random part, and a /24 in 198.18.0.0/15 (RFC
 * 2544's benchmark range) that no route of the root namespace uses yet, so beds of concurrent test
 * runs do not clash. It removes everything it made on {@link #close()}, and from a shutdown hook if
 * the JVM exits first; beds left by a killed JVM (its PID gone) are removed by the next one. Needs
 * root and {@code ip} (iproute2): where either is missing, {@link #create} fails with the reason,
 * so a suite on the bed never passes without running.
 */
public final class HostBed implements AutoCloseable {

  /** Prefix of every namespace a bed creates: {@code ssb<pid36>x<rand>[-h<i>|-br]}. */
  private static final String PREFIX = "ssb";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One host of the bed.
   *
   * @param namespace the network namespace its processes run in
   * @param address its IPv4 address on the bed's subnet
   */
  public record Host(String namespace, String address) {

    /** {@code command} run on this host: {@code ip netns exec <namespace> command...}. */
    public List<String> command(List<String> command) {
      List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
      out.addAll(command);
      return out;
    }
  }

  private final String id;
  private final String subnet;
  private final String bridgeNamespace;
  private final String rootLink;
  private final List<Host> hosts = new ArrayList<>();
  private final Thread shutdownHook;

  /** Guarded by this: set once {@link #close()} has removed the bed. */
  private boolean closed;

  private HostBed(int hostCount) {
    this.id = Long.toString(ProcessHandle.current().pid(), 36) + "x" + randomChars(3);
    this.bridgeNamespace = PREFIX + id + "-br";
    this.rootLink = "sr" + id;
    this.subnet = freeSubnet();
    this.shutdownHook = new Thread(this::close, "host-bed-cleanup-" + id);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      build(hostCount);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Creates a bed of {@code hostCount} hosts ({@code .2}, {@code .3}, ... of a fresh /24; the test
   * JVM's namespace is {@code .1}).
   *
   * @throws IllegalStateException saying why when namespaces cannot be made here
   */
  public static HostBed create(int hostCount) {
    requireIp();
    try {
      removeOrphans();
      return new HostBed(hostCount);
    } catch (IllegalStateException e) {
      throw unavailable(
          "making one failed ("
              + e.getMessage()
              + "); namespaces need root (or CAP_SYS_ADMIN and CAP_NET_ADMIN)",
          e);
    }
  }

  private void build(int hostCount) {
    ip("netns", "add", bridgeNamespace);
    ip("-n", bridgeNamespace, "link", "add", "br0", "type", "bridge");
    ip("-n", bridgeNamespace, "link", "set", "br0", "up");
    for (int i = 0; i < hostCount; i++) {
      String ns = PREFIX + id + "-h" + i;
      String address = subnet + (i + 2);
      ip("netns", "add", ns);
      // Created inside the bridge namespace, so no name is ever taken in the root namespace.
      ip("-n", bridgeNamespace, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0");
      ip("-n", bridgeNamespace, "link", "set", "eth0", "netns", ns);
      ip("-n", bridgeNamespace, "link", "set", "v" + i, "master", "br0");
      ip("-n", bridgeNamespace, "link", "set", "v" + i, "up");
      ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      ip("-n", ns, "link", "set", "lo", "up");
      hosts.add(new Host(ns, address));
    }
    ip("link", "add", rootLink, "type", "veth", "peer", "name", "vroot", "netns", bridgeNamespace);
    ip("-n", bridgeNamespace, "link", "set", "vroot", "master", "br0");
    ip("-n", bridgeNamespace, "link", "set", "vroot", "up");
    ip("addr", "add", rootAddress() + "/24", "dev", rootLink);
    ip("link", "set", rootLink, "up");
  }

  /** The bed's hosts, in order. */
  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  public Host host(int i) {
    return hosts.get(i);
  }

  /** The test JVM's own address on the bed (the root namespace joins as {@code .1}). */
  public String rootAddress() {
    return subnet + "1";
  }

  /** Cuts {@code host} off the network (its link goes down) until {@link #heal}. */
  public void cut(Host host) {
    ip("-n", host.namespace(), "link", "set", "eth0", "down");
  }

  public void heal(Host host) {
    ip("-n", host.namespace(), "link", "set", "eth0", "up");
  }

  /**
   * Runs {@code command} on {@code host} and returns its standard output (stderr appended), failing
   * if it does not end within {@code timeoutSeconds} or exits non-zero.
   */
  public String run(Host host, int timeoutSeconds, String... command) {
    return exec(host.command(List.of(command)), timeoutSeconds);
  }

  /** Stops every process left in the bed's namespaces (by PID) and removes the bed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Host h : hosts) {
      killProcessesIn(h.namespace());
    }
    quietly("link", "del", rootLink);
    for (Host h : hosts) {
      quietly("netns", "del", h.namespace());
    }
    quietly("netns", "del", bridgeNamespace);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook itself running.
    }
  }

  @Override
  public String toString() {
    return "HostBed[" + subnet + "0/24, " + hosts + "]";
  }

  private static void requireIp() {
    try {
      exec(List.of("ip", "-V"), 30);
    } catch (IllegalStateException e) {
      throw unavailable("'ip' does not run (" + e.getMessage() + "); install iproute2", e);
    }
  }

  private static IllegalStateException unavailable(String why, Exception cause) {
    return new IllegalStateException(
        "The multi-host test bed needs Linux network namespaces, but "
            + why
            + ". Run the cluster tests (mvn verify) as root on Linux with iproute2; see README.",
        cause);
  }

  /** A /24 in 198.18.0.0/15 that the root namespace has no route for yet, as "a.b.c.". */
  private static String freeSubnet() {
    String routes = exec(List.of("ip", "-4", "route", "show"), 30);
    for (int attempt = 0; attempt < 64; attempt++) {
      int n = RANDOM.nextInt(512);
      String candidate = "198." + (18 + n / 256) + "." + (n % 256) + ".";
      if (!routes.contains(candidate + "0/24")) {
        return candidate;
      }
    }
    throw new IllegalStateException("No free /24 in 198.18.0.0/15: " + routes);
  }

  /** Removes the namespaces of beds whose JVM died without cleaning up (no shutdown hook ran). */
  private static void removeOrphans() {
    for (String line : exec(List.of("ip", "netns", "list"), 30).split("\n")) {
      String ns = line.split(" ")[0];
      int x = ns.indexOf('x');
      if (!ns.startsWith(PREFIX) || x <= PREFIX.length()) {
        continue;
      }
      long pid;
      try {
        pid = Long.parseLong(ns.substring(PREFIX.length(), x), 36);
      } catch (NumberFormatException e) {
        continue;
      }
      if (ProcessHandle.of(pid).isEmpty()) {
        killProcessesIn(ns);
        String rootLink = "sr" + ns.substring(PREFIX.length(), ns.lastIndexOf('-'));
        quietly("link", "del", rootLink);
        quietly("netns", "del", ns);
      }
    }
  }

  /** Stops, by PID, the processes still running in a namespace this bed created. */
  private static void killProcessesIn(String namespace) {
    String pids;
    try {
      pids = exec(List.of("ip", "netns", "pids", namespace), 30);
    } catch (RuntimeException e) {
      return;
    }
    List<ProcessHandle> left = new ArrayList<>();
    for (String pid : pids.trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(left::add);
      }
    }
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  private static String randomChars(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return sb.toString();
  }

  private static void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    exec(command, 30);
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (RuntimeException e) {
      // Already gone, or never made: cleanup goes on with the rest.
    }
  }

  private static String exec(List<String> command, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end in time");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + p.exitValue() + ": " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
    }
  }
}
