package dev.holdfast.demo;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's child processes: starts each as {@code java <bin/holdfast's flags> -jar holdfast.jar
 * ROLE ...} in a session of its own (so a terminal's Ctrl-C reaches the demo alone, which stops them
 * in order), with its output in a log file of the run folder; lists them in {@code children.json};
 * and stops them by PID: SIGTERM, then SIGKILL after a grace period.
 */
public final class ChildProcesses implements AutoCloseable {

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /**
   * The flags that give a JVM the client compiler (C1) alone, no C2: what the demo runs its
   * simulators with when there are many JVMs per core ({@link DemoPlan#crowded()}).
   */
  public static final List<String> CLIENT_JIT_ONLY = List.of("-XX:TieredStopAtLevel=1");
  /** The collector of {@code bin/holdfast}: G1 had the smallest RSS at full hold (bench/README.md). */
  public static final String G1 = "-XX:+UseG1GC";
  /**
   * The collector of a crowded demo's children: the serial collector, which the JVM itself picks
   * for a machine it sees as small. In a 200,000 hold of 22 JVMs on 2 cores, G1's threads took 0.095
   * cores and the serial collector 0.02.
   */
  public static final String SERIAL = "-XX:+UseSerialGC";
  /**
   * The rest of a crowded demo's JVM flags, for every child. Java priorities reach the OS
   * ({@code ThreadPriorityPolicy=1}: the VM thread, which runs the serial collector and every
   * safepoint, then runs at nice -4 where the process may raise priorities, as root; elsewhere
   * the JVM leaves priorities as they are), the JIT's compiler threads at nice 4 and so after the
   * event loops, and no safepoint once a second for clean-up alone. In a 200,000 hold of 22 JVMs
   * on 2 cores, young collections needed 30-80 ms of CPU but took 50-1,100 ms of wall time
   * (the VM thread waited for a core), and the once-a-second clean-up safepoints took up to 75 ms
   * to reach: every thread of the process stands still for as long.
   */
  public static final List<String> CROWDED_FLAGS = List.of("-XX:ThreadPriorityPolicy=1",
      "-XX:CompilerThreadPriority=4", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0");

  private final Path outDir;
  private final List<String> jvm;
  private final List<String> simulatorFlags;
  private final List<Child> children = new CopyOnWriteArrayList<>();
  private final Set<Integer> portsGiven = new HashSet<>();

  /**
   * @param jvm the command up to and including {@code -jar holdfast.jar}
   * @param simulatorFlags JVM flags for the simulators, right after the java binary, so that
   *     {@code HOLDFAST_JAVA_OPTS} (later on the command line) still wins
   */
  public ChildProcesses(Path outDir, List<String> jvm, List<String> simulatorFlags) {
    this.outDir = outDir;
    this.jvm = List.copyOf(jvm);
    this.simulatorFlags = List.copyOf(simulatorFlags);
  }

  /**
   * The JVM command of {@code bin/holdfast} for this jar: the same heap, compact object headers
   * where the JVM has them (Java 25+) and {@code --add-opens}, {@code collector} unless
   * {@code HOLDFAST_JAVA_OPTS} names one, {@code flags}, then {@code HOLDFAST_JAVA_OPTS} (so they
   * win), and the watch on this process's PID.
   */
  public static List<String> holdfastJvm(Path jar, String collector, List<String> flags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String heap = System.getenv().getOrDefault("HOLDFAST_HEAP", "2g");
    String extra = System.getenv("HOLDFAST_JAVA_OPTS");
    List<String> extraFlags = extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    cmd.addAll(List.of("-Xms256m", "-Xmx" + heap));
    if (extraFlags.stream().noneMatch(ChildProcesses::choosesCollector)) {
      cmd.add(collector); // a collector named in HOLDFAST_JAVA_OPTS replaces it (the JVM refuses two)
    }
    if (Runtime.version().feature() >= 25) {
      cmd.add("-XX:+UseCompactObjectHeaders");
    }
    for (String open : List.of("java.base/java.lang", "java.base/java.nio", "java.base/sun.nio.ch",
        "java.management/sun.management", "jdk.management/com.sun.management.internal")) {
      cmd.add("--add-opens");
      cmd.add(open + "=ALL-UNNAMED");
    }
    cmd.addAll(flags);
    cmd.addAll(extraFlags);
    cmd.add("-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid());
    cmd.add("-jar");
    cmd.add(jar.toString());
    return cmd;
  }

  /** True for a JVM flag that selects a garbage collector, such as {@code -XX:+UseSerialGC}. */
  static boolean choosesCollector(String flag) {
    return flag.startsWith("-XX:+Use") && flag.endsWith("GC");
  }

  /**
   * A loopback port free now, not yet handed to another child of this demo, and outside the
   * kernel's ephemeral range ({@link #listeningPorts}). A port the OS picks (port 0) comes from that
   * range, and between this check and the child's bind any outgoing connection from 127.0.0.1 (a
   * Hazelcast member's, a status read's) may take it as its source port: in a 24-process demo one
   * simulator failed so with "Address already in use". No connection ever takes a port from outside.
   */
  public synchronized int freePort() {
    int[] range = listeningPorts(DemoPlan.Machine.ephemeralRange());
    if (range.length == 0) {
      return osPickedPort(); // an ephemeral range over nearly every port: nothing outside it to pick from
    }
    int span = range[1] - range[0] + 1;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = range[0] + (start + i) % span;
      if (portsGiven.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        portsGiven.add(port);
        return port;
      } catch (IOException e) {
        // in use: the next one
      }
    }
    throw new IllegalStateException("no free loopback port in " + range[0] + "-" + range[1]);
  }

  /**
   * Where the demo's listening ports come from: the 10,000 ports below the ephemeral range when
   * there is room (22768-32767 with Linux's default 32768-60999), else the ports above it when at
   * least 1,000; never below 10,000 (the Hazelcast member ports 5701-5740). Empty when neither fits.
   */
  static int[] listeningPorts(int[] ephemeral) {
    if (ephemeral[0] - 10_000 >= 10_000) {
      return new int[] {ephemeral[0] - 10_000, ephemeral[0] - 1};
    }
    if (ephemeral[1] <= 65_535 - 1000) {
      return new int[] {ephemeral[1] + 1, 65_535};
    }
    return new int[0];
  }

  private int osPickedPort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (portsGiven.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
    throw new IllegalStateException("no free loopback port after 50 attempts");
  }

  /** Starts {@code holdfast ARGS} as a child; its output goes to {@code NAME.log} in the run folder. */
  public Child start(Child.Role role, String name, int adminPort, int wsPort, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.add(jvm.get(0));
    if (role == Child.Role.SIMULATOR) {
      cmd.addAll(simulatorFlags);
    }
    cmd.addAll(jvm.subList(1, jvm.size()));
    cmd.addAll(args);
    Path log = outDir.resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
    Child c = new Child(role, name, adminPort, wsPort, log, p);
    children.add(c);
    writeList();
    return c;
  }

  /** Every child started, in start order. */
  public List<Child> all() {
    return List.copyOf(children);
  }

  public List<Child> of(Child.Role role) {
    return children.stream().filter(c -> c.role() == role).toList();
  }

  /** Writes {@code children.json}: role, name, PID, admin URL and log of each child. */
  public void writeList() {
    JsonArray a = new JsonArray();
    children.forEach(c -> a.add(c.toJson()));
    try {
      Files.writeString(outDir.resolve("children.json"), a.encodePrettily(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM to each running child of the list, then SIGKILL to those still running after {@code grace}. */
  public static void stop(List<Child> which, Duration grace) {
    which.stream().filter(Child::alive).forEach(c -> c.process().toHandle().destroy());
    long deadline = System.nanoTime() + grace.toNanos();
    for (Child c : which) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          c.process().toHandle().destroyForcibly();
          c.process().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.process().toHandle().destroyForcibly();
      }
    }
  }

  /** Stops every child still running: simulators first (they report), then nodes. */
  @Override
  public void close() {
    stop(of(Child.Role.SIMULATOR), Duration.ofSeconds(30));
    stop(of(Child.Role.NODE), Duration.ofSeconds(20));
  }
}
