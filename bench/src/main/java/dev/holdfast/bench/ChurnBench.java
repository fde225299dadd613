package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sustained-churn benchmark, one command: each server in turn (plain Netty, stock Vert.x, the
 * holdfast node standalone and clustered) holds N connections from a separate driver process while
 * the driver closes and reopens a steady stream of them, step by step at higher rates (see
 * {@link ChurnLadder}) until the echo p99 exceeds a bound, with an echo per connection every
 * interval throughout. Measured from outside: server CPU from {@code /proc} over each step's steady
 * part, threads, memory (jcmd, {@code /proc}). The first N connections after the server's start
 * are its cold row: no warm-up before them. Writes {@code results/churn-DATE.{md,json}} and plots
 * ({@link ChurnReport}).
 *
 * <p>Per server: start, wait until ready; threads idle; memory before; the cold connect (server CPU
 * across it); the echo-only step (CPU per echo, threads holding); the churn steps; the reopens
 * under way finish, then the three counts and memory held; close all; memory released; SIGTERM.
 */
public final class ChurnBench {

  /** Servers of the full run, in order. */
  static final String SERVERS = "netty,vertx,holdfast,holdfast-clustered";

  private final boolean quick;
  private final int connections;
  private final int rounds;
  private final List<String> servers;
  private final ChurnLadder ladder;
  private final double firstFraction;
  private final Duration period;
  private final Duration settle;
  /** The churn at the first rate before the ladder, not counted. */
  private final Duration warmupChurn;
  private final Duration steady;
  private final Duration interval;
  private final int sources;
  private final int inFlight;
  private final int threads;
  private final String jvmFlags;
  private final Path java;
  private final String driverFlags;
  private final int driverThreads;
  private final Path outDir;
  private final Path leanNodeReport;
  private final boolean coldBusy;
  private final List<String> busyServers;
  private final int burnThreads;
  private final String command;
  private final LocalDateTime started = LocalDateTime.now();
  private final String stamp = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
  private final Path logDir;
  private final ServerLineup lineup;
  private final long clockTicks = ProcStats.clockTicksPerSecond();

  private ChurnBench(Flags f, String command) {
    this.command = command;
    quick = f.bool("quick", false, "smoke test: 2,000 connections, netty,vertx,holdfast, one round, steps from "
        + "100% per period by 3x, 5 steps at most, 3 s measured parts: 1-2 minutes");
    connections = f.integer("connections", quick ? 2_000 : 15_000, "connections held per server");
    rounds = f.integer("rounds", quick ? 1 : 3, "times every server is run, in turn; the report shows medians");
    servers = List.of(f.string("servers", quick ? "netty,vertx,holdfast" : SERVERS,
        "servers to run, in order (netty, vertx, holdfast, holdfast-clustered, holdfast-os1h)").split(","));
    firstFraction = f.decimal("first", quick ? "1.0" : "0.2",
        "the first churn step: this fraction of the connections closed and reopened per --period");
    period = f.duration("period", "10s", "the churn period of --first");
    double factor = f.decimal("factor", quick ? "3" : "2", "each step's rate is the last one's times this"
        + " while steps hold the bound");
    int refine = f.integer("refine", 2, "steps between the best held and the first failed rate, after a failure");
    int maxSteps = f.integer("max-steps", quick ? 5 : 7, "churn steps per server at most");
    Duration bound = f.duration("bound", "50ms", "the echo p99 a step must stay within (it must also reach 90% of its "
        + "rate, without errors)");
    warmupChurn = f.duration("warmup-churn", quick ? "4s" : "8s", "churn at the first rate before the first step, not "
        + "counted (after the cold connect the close and echo paths compile and the collector catches up)");
    settle = f.duration("settle", "1s", "each step's first part, not measured (the rate and the server settle)");
    steady = f.duration("steady", quick ? "3s" : "4s", "each step's measured part (server CPU, latency, reconnects)");
    interval = f.duration("interval", "5s", "each connection sends one 32-byte message per interval, phases spread");
    sources = f.integer("sources", quick ? 2 : 4, "driver source addresses 127.0.0.2..");
    inFlight = f.integer("in-flight", 128, "driver handshakes in flight at most (the cold connect and the reopens)");
    threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), "server event loops (every server)");
    jvmFlags = f.string("jvm-flags", LeanNodeBench.DEFAULT_JVM_FLAGS, "JVM flags of every server");
    java = Path.of(f.string("java", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "java of the servers and the driver"));
    String pin = f.string("pin", "", "SERVER_CPUS:DRIVER_CPUS, e.g. 0:1: servers and driver under taskset on separate CPUs");
    int basePort = f.integer("base-port", 21_000, "servers listen on the first free ports above this");
    driverFlags = f.string("driver-flags", "-Xms256m -Xmx1g -XX:+UseParallelGC", "JVM flags of the driver");
    driverThreads = f.integer("driver-threads", 2, "driver event loop threads");
    Path benchJar = ServerLineup.ownJar();
    Path root = benchJar.getParent().getParent().getParent(); // repo/bench/target/holdfast-bench.jar
    Path holdfastJar = Path.of(f.string("holdfast-jar", root.resolve("app/target/holdfast.jar").toString(),
        "the node's fat jar"));
    outDir = Path.of(f.string("out-dir", root.resolve("bench/results").toString(), "where the report goes"));
    coldBusy = f.bool("cold-busy", false, "per round, also run each of --busy-servers cold once more (connect, close, "
        + "stop) while a CPU burner process spins --burn-threads threads: cold while the machine is busy");
    busyServers = List.of(f.string("busy-servers", "netty,holdfast", "servers of the cold-while-busy rows").split(","));
    burnThreads = f.integer("burn-threads", 1, "spinning threads of the burner (cold while busy)");
    String lean = f.string("lean-node-report", "newest", "the lean-node report (JSON) whose holdfast heap and RSS per "
        + "connection are the memory targets; newest: the newest full one in --out-dir");
    if (!(firstFraction > 0) || period.isZero()) {
      throw new IllegalArgumentException("churn: --first " + firstFraction + " per --period " + period.toSeconds()
          + " s is not allowed; use a fraction above 0 (0.2: 20%) and a period above 0");
    }
    ladder = new ChurnLadder(firstFraction * connections / (period.toMillis() / 1000.0), factor, refine, maxSteps,
        bound.toNanos() / 1000);
    if (f.has("help")) {
      System.out.printf("""
          bench/churn.sh [flags]: each server holds --connections from a separate driver while the driver closes and
          reopens a steady stream of them, in steps of rising rate (--first, then x --factor while echo p99 <= --bound,
          then --refine steps between held and failed), an echo per connection every --interval throughout. The first
          connections after each server's start are its cold row. With these flags: %d server(s) x %d round(s), each
          server ~20 s of start, connect, memory readings and close, %d s of warm-up churn, up to %d steps of
          %d s + %d s: at most ~%d min
          (the default full run is sized to finish within 15 minutes on 2 cores; --quick in 1-2 minutes).
          """, servers.size(), rounds, warmupChurn.toSeconds(), maxSteps + 1, settle.toSeconds(), steady.toSeconds(),
          (estimate().toSeconds() + 59) / 60);
    }
    f.finish();
    leanNodeReport = lean.equals("newest") ? newestLeanNodeReport(outDir) : Path.of(lean);
    logDir = outDir.resolve("logs").resolve("churn-" + (quick ? "quick-" : "") + stamp);
    lineup = new ServerLineup(logDir, holdfastJar, benchJar, threads, pin, "", "", basePort);
    lineup.check("churn", servers);
    if (coldBusy) {
      lineup.check("churn", busyServers);
    }
    // every reconnect takes a new port on its source address; the old one is free again once closed
    ServerLineup.checkLimits("churn", connections, inFlight, sources);
  }

  public static void main(String[] args) throws Exception {
    ChurnBench b;
    try {
      String command = System.getenv().getOrDefault("CHURN_COMMAND",
          "java -jar holdfast-bench.jar churn " + String.join(" ", args));
      b = new ChurnBench(Flags.parse("churn", args, Set.of("quick", "cold-busy")), command.trim());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(b.lineup::killLeftovers, "churn-cleanup"));
    System.exit(b.run());
  }

  /** The longest a run can take: fixed costs per server (start, three memory readings, connect, close) and every step. */
  Duration estimate() {
    long perServer = 20_000 + warmupChurn.toMillis() + (1L + ladder.maxSteps()) * (settle.toMillis() + steady.toMillis() + 300);
    long busy = coldBusy ? 20_000L * busyServers.size() : 0;
    return Duration.ofMillis((perServer * servers.size() + busy) * rounds);
  }

  private int run() throws Exception {
    lineup.copyJars();
    JsonObject machine = Machine.describe(List.of(java));
    System.out.printf("churn benchmark %s: %,d connections per server over %d source addresses, echo every %d s; "
            + "steps from %,.0f reconnects/s (%.0f%% per %d s) by %sx, %d at most, %d s settle + %d s measured each, "
            + "bound echo p99 %d ms; %d round(s) of %s: at most ~%d min%n",
        stamp, connections, sources, interval.toSeconds(), ladder.firstPerSecond(), firstFraction * 100,
        period.toSeconds(), trim(ladder.factor()), ladder.maxSteps(), settle.toSeconds(), steady.toSeconds(),
        ladder.boundMicros() / 1000, rounds, String.join(", ", servers), (estimate().toSeconds() + 59) / 60);
    System.out.printf("  machine: %s, %d cores, %s; JVM flags %s; logs in %s%n", machine.getString("cpu"),
        machine.getInteger("cores"), machine.getString("memory"), jvmFlags, logDir);
    List<List<ChurnRun>> byRound = new ArrayList<>();
    List<List<ColdRun>> busyByRound = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      if (rounds > 1) {
        System.out.printf("round %d of %d%n", r, rounds);
      }
      List<ChurnRun> round = new ArrayList<>();
      for (String s : servers) {
        round.add(measure(s, r));
      }
      byRound.add(round);
      if (coldBusy) {
        List<ColdRun> busy = new ArrayList<>();
        for (String s : busyServers) {
          busy.add(coldWhileBusy(s, r));
        }
        busyByRound.add(busy);
      }
    }
    JsonObject settings = new JsonObject()
        .put("started", started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .put("finished", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm")))
        .put("connections", connections).put("intervalSeconds", interval.toSeconds()).put("messageBytes", 32)
        .put("sources", sources).put("inFlight", inFlight)
        .put("firstPerSecond", ladder.firstPerSecond()).put("firstFraction", firstFraction)
        .put("periodSeconds", period.toSeconds()).put("factor", ladder.factor()).put("refinements", ladder.refinements())
        .put("maxSteps", ladder.maxSteps()).put("boundMicros", ladder.boundMicros())
        .put("warmupChurnSeconds", warmupChurn.toMillis() / 1000.0).put("settleSeconds", settle.toMillis() / 1000.0).put("steadySeconds", steady.toMillis() / 1000.0)
        .put("serverThreads", threads).put("serverCores", lineup.serverCores()).put("jvmFlags", jvmFlags)
        .put("driverFlags", driverFlags).put("driverThreads", driverThreads).put("pin", lineup.pin())
        .put("quick", quick).put("rounds", rounds).put("command", command)
        .put("holdfastJar", lineup.holdfastIdentity()).put("benchJar", lineup.benchIdentity())
        .put("leanNode", leanNodeFigures()).put("coldBusy", coldBusy).put("burnThreads", burnThreads);
    Path md = new ChurnReport(stamp, machine, settings, byRound, busyByRound).write(outDir, quick);
    lineup.deleteJars();
    System.out.println("report: " + md);
    System.out.println(Files.readString(md).lines().filter(l -> l.startsWith("|")).limit(40)
        .reduce("", (a, b) -> a + b + "\n"));
    return 0;
  }

  /** Runs one server through the cold connect, the echo-only step and the churn steps; see the class comment. */
  private ChurnRun measure(String server, int round) throws Exception {
    ServerLineup.Started started = lineup.start(server, server, java, jvmFlags, round, new JsonObject());
    ServerProcess s = started.process();
    String name = started.name();
    DriverProcess d = null;
    try {
      lineup.awaitReady(started);
      long threadsIdle = ProcStats.threads(s.pid()); // before the first jcmd starts the JVM's attach listener
      List<String> driverArgs = List.of(
          "--port", Integer.toString(started.port()), "--connections", Integer.toString(connections),
          "--sources", Integer.toString(sources), "--in-flight", Integer.toString(inFlight),
          "--interval", interval.toMillis() + "ms", "--hold", estimate().plusMinutes(5).toMillis() + "ms",
          "--warmup", "0", "--threads", Integer.toString(driverThreads), "--churn",
          "--out", logDir.resolve(name + "-driver.json").toString());
      d = lineup.startDriver(java, driverFlags, driverArgs, logDir.resolve(name + "-driver.log"));
      d.awaitEvent("waiting", Duration.ofMinutes(3));
      long[] heapRange = s.heapRange();
      Snapshot before = Snapshot.take(s, heapRange, 0, logDir.resolve(name + "-histogram-before.txt"));
      step(server, "%d threads; before load: live heap %s, RSS %s", threadsIdle, mib(before.liveHeapBytes()),
          mib(before.rssKb() * 1024));
      long cpu0 = s.cpuTicks();
      d.send("go");
      JsonObject cold = d.awaitEvent("connected", Duration.ofMinutes(10));
      double coldCpu = (double) (s.cpuTicks() - cpu0) / clockTicks;
      long coldOpened = cold.getLong("opened");
      step(server, "cold: %,d connected (%,d failed) in %.1f s, %.0f µs server CPU per handshake, handshake p99 %.1f ms",
          coldOpened, cold.getLong("failed"), cold.getDouble("seconds"), coldCpu * 1e6 / Math.max(1, coldOpened),
          cold.getJsonObject("handshakeLatency").getLong("p99Micros") / 1000.0);
      // memory per held connection now, before any echo or churn (churn's garbage leaves heap pages resident)
      Snapshot connected = Snapshot.take(s, heapRange, coldOpened, logDir.resolve(name + "-histogram-connected.txt"));
      step(server, "connected: live heap %s, RSS %s", mib(connected.liveHeapBytes()), mib(connected.rssKb() * 1024));
      d.send("hold");
      // a warm-up at the first rate, not counted: after the cold connect the close and echo paths compile and the
      // collector works through the connect's garbage, which would weigh on the first step's CPU
      ChurnStep warmup = runStep(d, s, ladder.firstPerSecond(), Duration.ZERO, warmupChurn);
      step(server, "warm-up churn %,.0f/s: %.0f µs CPU per reconnect (gross, not counted), echo p99 %.1f ms",
          warmup.targetPerSecond(), warmup.serverCpuSeconds() * 1e6 / Math.max(1, warmup.reconnects()),
          warmup.echoP99Micros() / 1000.0);
      List<ChurnStep> steps = new ArrayList<>();
      for (OptionalDouble next; (next = ladder.next(steps)).isPresent(); ) {
        ChurnStep st = runStep(d, s, next.getAsDouble(), settle, steady);
        steps.add(st);
        String failure = st.failure(ladder.boundMicros());
        step(server, "churn %,.0f/s: reached %,.0f/s, %.0f µs CPU per reconnect (gross), server %.2f cores, echo p99 "
                + "%.1f ms, handshake p99 %.1f ms, %,d open: %s", st.targetPerSecond(), st.achievedPerSecond(),
            st.reconnects() == 0 ? Double.NaN : st.serverCpuSeconds() * 1e6 / st.reconnects(),
            st.serverCores(), st.echoP99Micros() / 1000.0, st.handshakeP99Micros() / 1000.0, st.open(),
            failure == null ? "held" : failure);
      }
      // echoes only, after the churn: JIT and pools warm, the reopens under way done within the longer settle
      ChurnStep rest = runStep(d, s, 0, settle.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : settle,
          steady);
      long threadsHolding = ProcStats.threads(s.pid());
      step(server, "echo only: %,d echoes, %.1f µs server CPU each, echo p99 %.1f ms, %d threads, %,d reconnects",
          rest.echoes(), rest.serverCpuSeconds() * 1e6 / Math.max(1, rest.echoes()), rest.echoP99Micros() / 1000.0,
          threadsHolding, rest.reconnects());
      d.send("end");
      JsonObject held = d.awaitEvent("held", Duration.ofMinutes(2));
      long client = held.getLong("open");
      long os = ProcStats.establishedOn("127.0.0.1", started.port()).values().stream().mapToLong(Long::longValue).sum();
      long serverCount = started.adminPort() > 0
          ? ServerLineup.status(started.adminPort()).getJsonObject("connections").getLong("held") : -1;
      Snapshot heldSnap = Snapshot.take(s, heapRange, client, logDir.resolve(name + "-histogram-after-churn.txt"));
      step(server, "after churn: client %,d, server %s, OS %,d; live heap %s, RSS %s", client,
          serverCount < 0 ? "(no count)" : String.format("%,d", serverCount), os, mib(heldSnap.liveHeapBytes()),
          mib(heldSnap.rssKb() * 1024));
      d.send("close");
      JsonObject done = d.awaitEvent("done", Duration.ofMinutes(2));
      d.awaitExit(Duration.ofSeconds(30));
      ServerLineup.awaitNoneEstablished(started.port(), Duration.ofSeconds(30));
      Snapshot released = Snapshot.take(s, heapRange, 0, logDir.resolve(name + "-histogram-released.txt"));
      ColdRun coldRun = new ColdRun(server, round, coldOpened, cold.getLong("failed"), cold.getDouble("seconds"), coldCpu,
          cold.getJsonObject("handshakeLatency").getLong("p99Micros"), 0);
      ChurnRun run = new ChurnRun(server, round, threadsIdle, threadsHolding, coldRun, rest, steps, ladder,
          lineup.serverCores(), before, connected, heldSnap, released, serverCount, os, done.getLong("errorCount"),
          done.getJsonObject("errors"));
      step(server, "sustained %,.0f reconnects/s (%,.0f per core; stopped %s), warm %.0f µs per reconnect, cold %.0f µs "
              + "per handshake, %.1f µs per echo, heap %,.0f B and RSS %,.0f B per held connection, errors %d",
          run.sustainedPerSecond(), run.sustainedPerSecondPerCore(), run.stopReason(), run.warmCpuMicrosPerReconnect(),
          run.coldCpuMicrosPerHandshake(), run.cpuMicrosPerEcho(), run.heapPerHeldConnection(),
          run.rssPerHeldConnection(), run.errors());
      return run;
    } finally {
      if (d != null) {
        lineup.endDriver(d);
      }
      step(server, "stopped (exit %d)", lineup.stop(started));
    }
  }

  /**
   * The cold-while-busy row: a CPU burner first, then the server, then its first connections (server
   * and burner CPU across them); then close all and stop both by PID.
   */
  private ColdRun coldWhileBusy(String server, int round) throws Exception {
    String label = server + "-busy";
    Process burner = lineup.startBurner(java, burnThreads, 300, logDir.resolve(label + "-r" + round + "-burner.log"));
    step(label, "burner pid %d: %d spinning thread(s)", burner.pid(), burnThreads);
    ServerLineup.Started started = null;
    DriverProcess d = null;
    try {
      started = lineup.start(server, "busy", java, jvmFlags, round, new JsonObject()); // logs as SERVER-busy-rN
      ServerProcess s = started.process();
      lineup.awaitReady(started);
      d = lineup.startDriver(java, driverFlags, List.of("--port", Integer.toString(started.port()),
          "--connections", Integer.toString(connections), "--sources", Integer.toString(sources),
          "--in-flight", Integer.toString(inFlight), "--interval", interval.toMillis() + "ms",
          "--hold", "10m", "--warmup", "0", "--threads", Integer.toString(driverThreads), "--churn",
          "--out", logDir.resolve(started.name() + "-driver.json").toString()),
          logDir.resolve(started.name() + "-driver.log"));
      d.awaitEvent("waiting", Duration.ofMinutes(3));
      long cpu0 = s.cpuTicks();
      long burn0 = ProcStats.cpuTicks(burner.pid());
      d.send("go");
      JsonObject cold = d.awaitEvent("connected", Duration.ofMinutes(10));
      ColdRun run = new ColdRun(server, round, cold.getLong("opened"), cold.getLong("failed"), cold.getDouble("seconds"),
          (double) (s.cpuTicks() - cpu0) / clockTicks, cold.getJsonObject("handshakeLatency").getLong("p99Micros"),
          (double) (ProcStats.cpuTicks(burner.pid()) - burn0) / clockTicks);
      step(label, "cold while busy: %,d connected (%,d failed) in %.1f s, %.0f µs server CPU per handshake, burner at "
          + "%.0f%% of a core", run.handshakes(), run.failed(), run.seconds(), run.cpuMicrosPerHandshake(),
          run.burnerPercent());
      d.send("hold");
      d.send("end");
      d.awaitEvent("held", Duration.ofMinutes(2));
      d.send("close");
      d.awaitEvent("done", Duration.ofMinutes(2));
      d.awaitExit(Duration.ofSeconds(30));
      return run;
    } finally {
      if (d != null) {
        lineup.endDriver(d);
      }
      if (started != null) {
        step(label, "stopped (exit %d)", lineup.stop(started));
      }
      lineup.stopBurner(burner);
    }
  }

  /** One step: the driver churns at {@code rate}; the server's and the machine's CPU are read across its steady part. */
  private ChurnStep runStep(DriverProcess d, ServerProcess s, double rate, Duration settleFor, Duration measured)
      throws IOException, InterruptedException {
    d.send(String.format(Locale.ROOT, "step %.3f %d %d", rate, settleFor.toMillis(), measured.toMillis()));
    d.awaitEvent("steady", settleFor.plusMinutes(1));
    long cpu0 = s.cpuTicks();
    long machine0 = ProcStats.machineBusyTicks();
    long driver0 = ProcStats.cpuTicks(d.pid());
    JsonObject r = d.awaitEvent("step", measured.plusMinutes(1));
    long cpu = s.cpuTicks() - cpu0;
    long others = ProcStats.machineBusyTicks() - machine0 - cpu - (ProcStats.cpuTicks(d.pid()) - driver0);
    return ChurnStep.of(r, (double) cpu / clockTicks, (double) Math.max(0, others) / clockTicks);
  }

  /** The holdfast row of the lean-node report: live heap and RSS growth per connection, the memory targets. */
  private JsonObject leanNodeFigures() {
    JsonObject o = new JsonObject().put("report", leanNodeReport == null ? null : leanNodeReport.toString());
    if (leanNodeReport == null || !Files.isRegularFile(leanNodeReport)) {
      return o;
    }
    try {
      JsonObject json = new JsonObject(Files.readString(leanNodeReport));
      for (Object row : json.getJsonArray("servers", new JsonArray())) {
        JsonObject r = (JsonObject) row;
        if ("holdfast".equals(r.getString("server"))) {
          o.put("liveHeapBytesPerConnection", r.getDouble("liveHeapBytesPerConnection"))
              .put("rssGrowthBytesPerConnection", r.getDouble("rssGrowthBytesPerConnection"))
              .put("stamp", json.getString("stamp"));
        }
      }
    } catch (IOException | RuntimeException e) {
      o.put("unreadable", String.valueOf(e.getMessage()));
    }
    return o;
  }

  /** The newest full (not quick, not TLS) lean-node JSON report in {@code dir}, or null. */
  static Path newestLeanNodeReport(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("lean-node-\\d{4}-\\d{2}-\\d{2}-\\d{4}\\.json"))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void step(String label, String fmt, Object... args) {
    ServerLineup.step(label, fmt, args);
  }

  private static String mib(long bytes) {
    return ServerLineup.mib(bytes);
  }
}
