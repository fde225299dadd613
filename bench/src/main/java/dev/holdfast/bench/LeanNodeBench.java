package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lean-node benchmark, one command: starts in turn the plain-Netty baseline, the stock Vert.x
 * baseline and the holdfast node, each as {@code java FLAGS -jar} with the same JVM and flags,
 * drives each with the same load from a separate driver process, measures each from outside
 * (/proc and jcmd), then runs the holdfast node again under other JVM settings ("tuning on top"),
 * and writes the report ({@code results/lean-node-DATE.md}, {@code .json}, {@code .svg}).
 *
 * <p>Per server: start, wait for the port; driver warm-up; forced GC, live heap and RSS (before);
 * {@code go}: connect phase, CPU measured across it, with a pause half way for a second memory
 * reading (so the marginal cost of a connection shows apart from one-time growth) and a third
 * once all are open; {@code hold}: echo window, server CPU measured across it, echo latency by the
 * driver; at full hold the three counts, forced GC, live heap and RSS (held); {@code close};
 * SIGTERM to the server's PID. With {@code --tls-cert} and {@code --tls-key} every server and the
 * driver speak {@code wss://}: the rows then price TLS (memory per held connection, handshake CPU).
 */
public final class LeanNodeBench {

  static final String DEFAULT_JVM_FLAGS = "-Xms256m -Xmx2g -XX:+UseG1GC";
  private static final String JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

  /** A JVM setting tried on the holdfast node in the tuning pass. */
  record Variant(String name, Path java, String flags, String why) {
  }

  private final int connections;
  private final Duration hold;
  private final Duration interval;
  private final int sources;
  private final int inFlight;
  private final int warmup;
  private final List<String> servers;
  private final int threads;
  private final String jvmFlags;
  private final Path java;
  private final Path java25;
  private final boolean tuning;
  private final List<String> variantNames;
  private final boolean quick;
  private final int rounds;
  private final int tuningRounds;
  private final String command;
  private final Path outDir;
  private final String driverFlags;
  private final int driverThreads;
  private final String pin;
  /** PEM certificate and key of the wss:// rows; empty for ws://. */
  private final String tlsCert;
  private final String tlsKey;
  /** How every server starts (same java, loops, pinning; from copies of both jars) and which are running. */
  private final ServerLineup lineup;
  private final LocalDateTime started = LocalDateTime.now();
  private final String stamp = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
  private final Path logDir;
  private final long clockTicks = ProcStats.clockTicksPerSecond();

  private LeanNodeBench(Flags f, String command) throws IOException {
    this.command = command;
    quick = f.bool("quick", false, "smoke test: 2,000 connections, 5 s hold, 200 warm-up, no tuning pass");
    connections = f.integer("connections", quick ? 2_000 : 15_000, "connections held per server");
    hold = f.duration("hold", quick ? "5s" : "60s", "hold window with echoes (latency and hold CPU are measured over it)");
    interval = f.duration("interval", "5s", "each connection sends a message every interval");
    rounds = f.integer("rounds", quick ? 1 : 3, "times every server is run, in turn; the report shows medians");
    tuningRounds = f.integer("tuning-rounds", 1, "times each JVM variant of the tuning pass is run");
    sources = f.integer("sources", quick ? 2 : 4, "driver source addresses 127.0.0.2..");
    inFlight = f.integer("in-flight", 128, "driver handshakes in flight at most");
    warmup = f.integer("warmup", quick ? 200 : 1_000, "warm-up connections before the baseline reading");
    servers = List.of(f.string("servers", quick ? "netty,vertx,holdfast"
            : "netty,vertx,holdfast,holdfast-clustered,holdfast-os1h",
        "servers to run, in order; holdfast-clustered is the node joined to a Hazelcast cluster (the cost of "
            + "clustering), holdfast-os1h the node with its OS socket count read hourly (a diagnostic row)").split(","));
    threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), "server event loops (every server)");
    jvmFlags = f.string("jvm-flags", DEFAULT_JVM_FLAGS, "JVM flags of every server in the main pass");
    java = Path.of(f.string("java", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "java of the servers and the driver"));
    java25 = Path.of(f.string("java25", JAVA25, "a Java 25 java for the tuning pass (skipped if absent)"));
    tuning = f.bool("tuning", !quick, "run the JVM tuning pass on the holdfast node");
    variantNames = List.of(f.string("variants", "all", "tuning variants to run, comma-separated, or all").split(","));
    int basePort = f.integer("base-port", 21_000, "servers listen on base+1, base+2, ...");
    Path benchJarGiven = ServerLineup.ownJar();
    Path root = benchJarGiven.getParent().getParent().getParent(); // repo/bench/target/holdfast-bench.jar
    Path holdfastJarGiven = Path.of(f.string("holdfast-jar", root.resolve("app/target/holdfast.jar").toString(),
        "the node's fat jar"));
    outDir = Path.of(f.string("out-dir", root.resolve("bench/results").toString(), "where the report goes"));
    driverFlags = f.string("driver-flags", "-Xms256m -Xmx1g -XX:+UseParallelGC", "JVM flags of the driver");
    driverThreads = f.integer("driver-threads", 2, "driver event loop threads");
    String pin = f.string("pin", "", "SERVER_CPUS:DRIVER_CPUS, e.g. 0:1: run every server and the driver under taskset"
        + " on separate CPUs, so the driver's bursts do not preempt the server mid-echo (less p99 noise on a small"
        + " machine; every server then has the same fewer cores)");
    this.pin = pin;
    tlsCert = f.string("tls-cert", "", "PEM certificate: every server speaks wss:// (lean-node.sh --tls makes one)");
    tlsKey = f.string("tls-key", "", "PEM (PKCS#8) key of --tls-cert");
    f.finish();
    logDir = outDir.resolve("logs").resolve((quick ? "quick-" : "") + (tlsCert.isEmpty() ? "" : "tls-") + stamp);
    lineup = new ServerLineup(logDir, holdfastJarGiven, benchJarGiven, threads, pin, tlsCert, tlsKey, basePort);
  }

  public static void main(String[] args) throws Exception {
    LeanNodeBench b;
    try {
      // lean-node.sh names the command as the user typed it; the jar alone is named by its arguments
      String command = System.getenv().getOrDefault("LEAN_NODE_COMMAND",
          "java -jar holdfast-bench.jar lean-node " + String.join(" ", args));
      b = new LeanNodeBench(Flags.parse("lean-node", args, Set.of("quick", "tuning")), command.trim());
      b.check();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(b.lineup::killLeftovers, "lean-node-cleanup"));
    System.exit(b.run());
  }

  private void check() {
    lineup.check("lean-node", servers);
    ServerLineup.checkLimits("lean-node", connections, Math.min(warmup, connections), sources);
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
      throw new IllegalArgumentException("lean-node: --tls-cert and --tls-key go together");
    }
    if (!tlsCert.isEmpty() && servers.contains("vertx")) {
      throw new IllegalArgumentException("lean-node: the vertx baseline has no TLS here; with --tls-cert use e.g."
          + " --servers netty,holdfast");
    }
  }

  private int run() throws Exception {
    lineup.copyJars();
    String holdfastIdentity = lineup.holdfastIdentity();
    JsonObject machine = Machine.describe(List.of(java, java25));
    System.out.printf("lean-node benchmark %s: %,d connections over %d source addresses, echo every %d s, hold %d s%n",
        stamp, connections, sources, interval.toSeconds(), hold.toSeconds());
    System.out.printf("  machine: %s, %d cores, %s; JVM flags %s; logs in %s%n", machine.getString("cpu"),
        machine.getInteger("cores"), machine.getString("memory"), jvmFlags, logDir);
    // rounds run every server in turn, so each round's ratios compare neighbours in time
    List<List<Measurement>> byRound = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      if (rounds > 1) {
        System.out.printf("round %d of %d%n", r, rounds);
      }
      List<Measurement> round = new ArrayList<>();
      for (String s : servers) {
        round.add(measure(s, s, java, jvmFlags, r));
      }
      byRound.add(round);
    }
    List<List<Measurement>> tuned = new ArrayList<>();
    if (tuning && servers.contains("holdfast")) {
      for (Variant v : variants()) {
        System.out.printf("tuning: %s (%s)%n", v.name(), v.why());
        List<Measurement> runs = new ArrayList<>();
        for (int r = 1; r <= tuningRounds; r++) {
          runs.add(measure("holdfast", v.name(), v.java(), v.flags(), r));
        }
        tuned.add(runs);
      }
    }
    JsonObject settings = new JsonObject()
        .put("started", started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .put("finished", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm")))
        .put("connections", connections).put("holdSeconds", hold.toSeconds()).put("intervalSeconds", interval.toSeconds())
        .put("messageBytes", 32).put("sources", sources).put("inFlight", inFlight).put("warmup", warmup)
        .put("serverThreads", threads).put("jvmFlags", jvmFlags).put("driverFlags", driverFlags)
        .put("driverThreads", driverThreads).put("pin", pin).put("quick", quick).put("tls", !tlsCert.isEmpty())
        .put("rounds", rounds).put("tuningRounds", tuningRounds)
        .put("command", command)
        .put("holdfastJar", holdfastIdentity)
        .put("benchJar", lineup.benchIdentity());
    Path md = new LeanNodeReport((tlsCert.isEmpty() ? "" : "tls-") + stamp, machine, settings, byRound, tuned).write(outDir, quick);
    lineup.deleteJars();
    System.out.println("report: " + md);
    System.out.println(Files.readString(md).lines().filter(l -> l.startsWith("|")).reduce("", (a, b) -> a + b + "\n"));
    return 0;
  }

  /** JVM settings tried on the holdfast node, on top of the main run's G1 with the same heap bounds. */
  private List<Variant> variants() {
    String heap = "-Xms256m -Xmx2g";
    List<Variant> all = new ArrayList<>(List.of(
        new Variant("serial", java, heap + " -XX:+UseSerialGC", "no concurrent GC threads or remembered sets"),
        new Variant("parallel", java, heap + " -XX:+UseParallelGC", "throughput collector, no remembered sets"),
        new Variant("serial-lean", java, heap + " -XX:+UseSerialGC -Xss256k -XX:MaxDirectMemorySize=256m "
            + "-XX:ReservedCodeCacheSize=64m", "serial plus smaller stacks, direct memory and code cache caps")));
    if (Files.isExecutable(java25)) {
      all.add(new Variant("java25-g1", java25, heap + " -XX:+UseG1GC", "same flags on Java 25"));
      all.add(new Variant("java25-g1-coh", java25, heap + " -XX:+UseG1GC -XX:+UseCompactObjectHeaders",
          "8-byte object headers (JEP 519)"));
      all.add(new Variant("java25-serial-coh", java25, heap + " -XX:+UseSerialGC -XX:+UseCompactObjectHeaders",
          "serial collector and compact headers"));
    } else {
      System.out.println("tuning: no Java 25 at " + java25 + "; compact object headers not measured");
    }
    if (variantNames.contains("all")) {
      return all;
    }
    return all.stream().filter(v -> variantNames.contains(v.name())).toList();
  }

  /** Runs one server under the load and measures it; see the class comment for the steps. */
  private Measurement measure(String server, String label, Path serverJava, String flags, int round) throws Exception {
    ServerLineup.Started started = lineup.start(server, label, serverJava, flags, round, new JsonObject());
    ServerProcess s = started.process();
    int port = started.port();
    int adminPort = started.adminPort();
    String name = started.name();
    DriverProcess d = null;
    try {
      lineup.awaitReady(started);
      List<String> driverArgs = new ArrayList<>(List.of(
          "--port", Integer.toString(port), "--connections", Integer.toString(connections),
          "--sources", Integer.toString(sources), "--in-flight", Integer.toString(inFlight),
          "--interval", interval.toMillis() + "ms", "--hold", hold.toMillis() + "ms",
          "--warmup", Integer.toString(warmup), "--threads", Integer.toString(driverThreads),
          "--pause-at", Integer.toString(pauseAt(connections)),
          "--out", logDir.resolve(name + "-driver.json").toString()));
      if (!tlsCert.isEmpty()) {
        driverArgs.add("--tls");
      }
      d = lineup.startDriver(java, driverFlags, driverArgs, logDir.resolve(name + "-driver.log"));
      if (warmup > 0) {
        d.awaitEvent("warmed", Duration.ofMinutes(3));
        ServerLineup.awaitNoneEstablished(port, Duration.ofSeconds(30)); // the warm-up's closes have finished on the server
      }
      d.awaitEvent("waiting", Duration.ofMinutes(3));
      long[] heapRange = s.heapRange();
      Snapshot before = Snapshot.take(s, heapRange, 0, logDir.resolve(name + "-histogram-before.txt"));
      step(label, "before load: %s", describe(before));
      long cpu0 = s.cpuTicks();
      d.send("go");
      long handshakeTicks = 0;
      Snapshot half = null;
      if (pauseAt(connections) > 0) {
        JsonObject paused = d.awaitEvent("paused", Duration.ofMinutes(10));
        handshakeTicks += s.cpuTicks() - cpu0;
        half = Snapshot.take(s, heapRange, paused.getLong("opened"), logDir.resolve(name + "-histogram-half.txt"));
        step(label, "half way, %,d open: %s", half.connections(), describe(half));
        cpu0 = s.cpuTicks();
        d.send("more");
      }
      JsonObject opened = d.awaitEvent("connected", Duration.ofMinutes(10));
      handshakeTicks += s.cpuTicks() - cpu0;
      step(label, "connected %,d (%,d failed) in %.1f s: %,.0f handshakes/s", opened.getLong("opened"),
          opened.getLong("failed"), opened.getDouble("seconds"), opened.getDouble("handshakesPerSecond"));
      Snapshot connected = Snapshot.take(s, heapRange, opened.getLong("opened"),
          logDir.resolve(name + "-histogram-connected.txt"));
      step(label, "all open, before echoes: %s", describe(connected));
      long cpu1 = s.cpuTicks();
      long machine1 = ProcStats.machineBusyTicks();
      long driver1 = ProcStats.cpuTicks(d.pid());
      d.send("hold");
      JsonObject held = d.awaitEvent("held", hold.plusMinutes(5));
      long cpu2 = s.cpuTicks();
      long others = ProcStats.machineBusyTicks() - machine1 - (cpu2 - cpu1) - (ProcStats.cpuTicks(d.pid()) - driver1);
      long client = held.getLong("open");
      Map<String, Long> byRemote = ProcStats.establishedOn("127.0.0.1", port);
      long os = byRemote.values().stream().mapToLong(Long::longValue).sum();
      long foreign = os - ServerLineup.driverSources(sources).stream().mapToLong(a -> byRemote.getOrDefault(a, 0L)).sum();
      if (foreign != 0) {
        step(label, "OS: %,d established on port %d from addresses other than the driver's: %s", foreign, port, byRemote);
      }
      long serverCount = -1;
      if (adminPort > 0) {
        serverCount = ServerLineup.status(adminPort).getJsonObject("connections").getLong("held");
      }
      Snapshot after = Snapshot.take(s, heapRange, client, logDir.resolve(name + "-histogram-held.txt"));
      Files.writeString(logDir.resolve(name + "-heap-info.txt"), s.jcmd("GC.heap_info"));
      step(label, "held: client %,d, server %s, OS %,d; %s", client,
          serverCount < 0 ? "(no count)" : String.format("%,d", serverCount), os, describe(after));
      d.send("close");
      JsonObject done = d.awaitEvent("done", Duration.ofMinutes(2));
      d.awaitExit(Duration.ofSeconds(30));
      JsonObject echo = held.getJsonObject("echoLatency");
      Measurement m = new Measurement(server, label, serverJava.toString(), flags, connections,
          client, serverCount, os, foreign, before, half, connected, after,
          opened.getLong("opened"), opened.getDouble("seconds"), (double) handshakeTicks / clockTicks,
          held.getDouble("seconds"), (double) (cpu2 - cpu1) / clockTicks, (double) Math.max(0, others) / clockTicks,
          echo.getLong("count"), echo.getLong("p50Micros"), echo.getLong("p99Micros"),
          done.getLong("errorCount"), done.getJsonObject("errors"),
          after.histogram().growthPerConnection(before.histogram(), Math.max(1, client), 15), done);
      step(label, "live heap %,.0f B/conn, RSS %,.0f B/conn, %.0f ms CPU per 1,000 handshakes, echo p50 %d µs p99 %d µs, "
              + "hold CPU %.1f%% of a core (other processes %.0f%%), errors %d", m.heapPerConnection(),
          m.rssPerConnection(), m.cpuMsPer1000Handshakes(), m.p50Micros(), m.p99Micros(), m.holdCpuPercent(),
          m.othersCpuPercent(), m.errors());
      return m;
    } finally {
      if (d != null) {
        lineup.endDriver(d);
      }
      int code = lineup.stop(started);
      step(label, "stopped (exit %d)", code);
    }
  }

  /** Where the connect phase pauses for the marginal reading: half way, unless the run is tiny. */
  private static int pauseAt(int connections) {
    return connections >= 1000 ? connections / 2 : 0;
  }

  private static String describe(Snapshot m) {
    return String.format("live heap %s, RSS %s (heap pages %s)", mib(m.liveHeapBytes()), mib(m.rssKb() * 1024),
        mib(m.heapPagesKb() * 1024));
  }

  private static void step(String label, String fmt, Object... args) {
    ServerLineup.step(label, fmt, args);
  }

  private static String mib(long bytes) {
    return ServerLineup.mib(bytes);
  }
}
