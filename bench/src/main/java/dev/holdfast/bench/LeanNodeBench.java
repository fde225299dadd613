package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
  private final int basePort;
  private final Path holdfastJarGiven;
  /** A copy of the node's jar taken at the start, so a rebuild during the run cannot mix two builds. */
  private Path holdfastJar;
  /** This jar, copied into the log folder at the start like the node's (a build in the same tree replaces it). */
  private Path benchJar;
  private final Path benchJarGiven;
  private final Path outDir;
  private final String driverFlags;
  private final int driverThreads;
  private final String pin;
  /** PEM certificate and key of the wss:// rows; empty for ws://. */
  private final String tlsCert;
  private final String tlsKey;
  private final List<String> serverLauncher;
  private final List<String> driverLauncher;
  private final LocalDateTime started = LocalDateTime.now();
  private final String stamp = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
  private final Path logDir;
  private final long clockTicks = ProcStats.clockTicksPerSecond();
  private final List<ServerProcess> running = new CopyOnWriteArrayList<>();
  private final List<DriverProcess> drivers = new CopyOnWriteArrayList<>();
  private int nextPort;

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
    basePort = f.integer("base-port", 21_000, "servers listen on base+1, base+2, ...");
    benchJarGiven = ownJar();
    Path root = benchJarGiven.getParent().getParent().getParent(); // repo/bench/target/holdfast-bench.jar
    holdfastJarGiven = Path.of(f.string("holdfast-jar", root.resolve("app/target/holdfast.jar").toString(),
        "the node's fat jar"));
    outDir = Path.of(f.string("out-dir", root.resolve("bench/results").toString(), "where the report goes"));
    driverFlags = f.string("driver-flags", "-Xms256m -Xmx1g -XX:+UseParallelGC", "JVM flags of the driver");
    driverThreads = f.integer("driver-threads", 2, "driver event loop threads");
    String pin = f.string("pin", "", "SERVER_CPUS:DRIVER_CPUS, e.g. 0:1: run every server and the driver under taskset"
        + " on separate CPUs, so the driver's bursts do not preempt the server mid-echo (less p99 noise on a small"
        + " machine; every server then has the same fewer cores)");
    if (pin.isEmpty()) {
      serverLauncher = List.of();
      driverLauncher = List.of();
    } else {
      String[] cpus = pin.split(":");
      if (cpus.length != 2 || !cpus[0].matches("[0-9,-]+") || !cpus[1].matches("[0-9,-]+")) {
        throw new IllegalArgumentException("--pin: \"" + pin + "\" is not SERVER_CPUS:DRIVER_CPUS (e.g. 0:1 or 0-1:2-3)");
      }
      serverLauncher = List.of("taskset", "-c", cpus[0]);
      driverLauncher = List.of("taskset", "-c", cpus[1]);
    }
    this.pin = pin;
    tlsCert = f.string("tls-cert", "", "PEM certificate: every server speaks wss:// (lean-node.sh --tls makes one)");
    tlsKey = f.string("tls-key", "", "PEM (PKCS#8) key of --tls-cert");
    f.finish();
    logDir = outDir.resolve("logs").resolve((quick ? "quick-" : "") + (tlsCert.isEmpty() ? "" : "tls-") + stamp);
    nextPort = basePort + 1;
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
    Runtime.getRuntime().addShutdownHook(new Thread(b::killLeftovers, "lean-node-cleanup"));
    System.exit(b.run());
  }

  private void check() {
    if (!Files.isRegularFile(holdfastJarGiven) && servers.stream().anyMatch(s -> s.startsWith("holdfast"))) {
      throw new IllegalArgumentException("lean-node: " + holdfastJarGiven + " is missing; build it with "
          + "(cd /work/main && mvn -B -q -DskipTests install) or pass --holdfast-jar");
    }
    long files = ProcStats.openFileLimit();
    if (files > 0 && connections + 500 > files) {
      throw new IllegalArgumentException("lean-node: " + connections + " connections do not fit one process's "
          + "open-file limit of " + files + " (with 500 to spare); lower --connections or raise ulimit -n");
    }
    long ports = (long) sources * (ProcStats.ephemeralPorts() - 1000);
    if (connections + Math.min(warmup, connections) > ports) {
      throw new IllegalArgumentException("lean-node: " + sources + " source addresses give about " + ports
          + " ephemeral ports; raise --sources for " + connections + " connections");
    }
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
      throw new IllegalArgumentException("lean-node: --tls-cert and --tls-key go together");
    }
    if (!tlsCert.isEmpty() && servers.contains("vertx")) {
      throw new IllegalArgumentException("lean-node: the vertx baseline has no TLS here; with --tls-cert use e.g."
          + " --servers netty,holdfast");
    }
    for (String s : servers) {
      if (!List.of("netty", "vertx", "holdfast", "holdfast-clustered", "holdfast-os1h").contains(s)) {
        throw new IllegalArgumentException("lean-node: unknown server " + s
            + "; use netty, vertx, holdfast, holdfast-clustered, holdfast-os1h");
      }
    }
  }

  private int run() throws Exception {
    Files.createDirectories(logDir);
    holdfastJar = logDir.resolve("holdfast.jar");
    Files.copy(holdfastJarGiven, holdfastJar);
    benchJar = logDir.resolve("holdfast-bench.jar");
    Files.copy(benchJarGiven, benchJar);
    String holdfastIdentity = Machine.fileIdentity(holdfastJarGiven);
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
        .put("benchJar", Machine.fileIdentity(benchJarGiven));
    Path md = new LeanNodeReport((tlsCert.isEmpty() ? "" : "tls-") + stamp, machine, settings, byRound, tuned).write(outDir, quick);
    Files.delete(holdfastJar);
    Files.delete(benchJar);
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
    int port = freePort();
    boolean node = server.startsWith("holdfast");
    int adminPort = node ? freePort() : -1;
    List<String> jvm = Arrays.asList(flags.trim().split("\\s+"));
    String t = Integer.toString(threads);
    List<String> args = new ArrayList<>(switch (server) {
      case "netty" -> List.of("netty-echo", "--port", Integer.toString(port), "--threads", t);
      case "vertx" -> List.of("vertx-echo", "--port", Integer.toString(port), "--threads", t);
      case "holdfast-clustered" -> List.of("node", "--cluster-name", "bench-" + UUID.randomUUID(), "--port",
          Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--instances", t);
      default -> List.of("node", "--standalone", "--port", Integer.toString(port), "--admin-port",
          Integer.toString(adminPort), "--instances", t);
    });
    JsonObject nodeConfig = new JsonObject();
    if (server.equals("holdfast-os1h")) {
      // the node reads /proc/net/tcp6 every second by default; this row shows what that costs
      nodeConfig.put("osCountInterval", "1h");
    }
    if (!tlsCert.isEmpty()) {
      if (node) {
        nodeConfig.put("tlsCertFile", tlsCert).put("tlsKeyFile", tlsKey);
      } else {
        args.addAll(List.of("--tls-cert", tlsCert, "--tls-key", tlsKey));
      }
    }
    if (!nodeConfig.isEmpty()) {
      Path config = logDir.resolve(server + "-r" + round + ".json");
      Files.writeString(config, nodeConfig.encodePrettily() + "\n");
      args.addAll(List.of("--config", config.toString()));
    }
    Path jar = node ? holdfastJar : benchJar;
    String name = (label.equals(server) ? server : server + "-" + label) + "-r" + round;
    ServerProcess s = ServerProcess.start(name, serverLauncher, serverJava, jvm, jar, args, logDir.resolve(name + ".log"));
    running.add(s);
    step(label, "started pid %d: %s", s.pid(), s.command());
    DriverProcess d = null;
    try {
      s.awaitListening(port, Duration.ofSeconds(90));
      if (adminPort > 0) {
        awaitStatus(adminPort, Duration.ofSeconds(60));
      }
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
      d = DriverProcess.start(driverLauncher, java, Arrays.asList(driverFlags.split("\\s+")), benchJar, driverArgs,
          logDir.resolve(name + "-driver.log"));
      drivers.add(d);
      if (warmup > 0) {
        d.awaitEvent("warmed", Duration.ofMinutes(3));
        awaitNoneEstablished(port, Duration.ofSeconds(30)); // the warm-up's closes have finished on the server
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
      long foreign = os - driverSources().stream().mapToLong(a -> byRemote.getOrDefault(a, 0L)).sum();
      if (foreign != 0) {
        step(label, "OS: %,d established on port %d from addresses other than the driver's: %s", foreign, port, byRemote);
      }
      long serverCount = -1;
      if (adminPort > 0) {
        serverCount = status(adminPort).getJsonObject("connections").getLong("held");
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
        d.kill();
        drivers.remove(d);
      }
      int code = s.stop(Duration.ofSeconds(30));
      running.remove(s);
      step(label, "stopped (exit %d)", code);
    }
  }

  /** Where the connect phase pauses for the marginal reading: half way, unless the run is tiny. */
  private static int pauseAt(int connections) {
    return connections >= 1000 ? connections / 2 : 0;
  }

  /** The driver's source addresses, 127.0.0.2 onwards (its default). */
  private List<String> driverSources() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      out.add("127.0.0." + (2 + i));
    }
    return out;
  }

  private static String describe(Snapshot m) {
    return String.format("live heap %s, RSS %s (heap pages %s)", mib(m.liveHeapBytes()), mib(m.rssKb() * 1024),
        mib(m.heapPagesKb() * 1024));
  }

  private int freePort() {
    for (int p = nextPort; p < basePort + 1000; p++) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("127.0.0.1", p));
        nextPort = p + 1;
        return p;
      } catch (IOException inUse) {
        // try the next
      }
    }
    throw new IllegalStateException("no free port in " + basePort + ".." + (basePort + 1000) + "; pass --base-port");
  }

  private static JsonObject status(int adminPort) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status")).timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/status answered " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  /** Waits until the kernel lists no established socket on the server's port; fails after {@code max}. */
  private static void awaitNoneEstablished(int port, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Map<String, Long> left;
    while (!(left = ProcStats.establishedOn("127.0.0.1", port)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("warm-up connections still established on port " + port + " after " + max.toSeconds()
            + " s: " + left);
      }
      Thread.sleep(50);
    }
  }

  private static void awaitStatus(int adminPort, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        status(adminPort);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("holdfast /status did not answer within " + max.toSeconds() + " s: " + e.getMessage());
        }
        Thread.sleep(200);
      }
    }
  }

  private void killLeftovers() {
    drivers.forEach(DriverProcess::kill);
    running.forEach(ServerProcess::kill);
  }

  private static void step(String label, String fmt, Object... args) {
    System.out.printf("[%tT] %-18s %s%n", System.currentTimeMillis(), label, String.format(fmt, args));
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static Path ownJar() {
    try {
      return Path.of(LeanNodeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate holdfast-bench.jar", e);
    }
  }
}
