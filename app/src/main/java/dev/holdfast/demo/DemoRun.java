package dev.holdfast.demo;

import dev.holdfast.observe.PrometheusRun;
import java.net.URI;
import dev.holdfast.config.Durations;
import dev.holdfast.simulator.config.SimulatorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Runs one demo: starts the echo nodes (the first alone, so it forms the cluster the others join),
 * waits until they are one cluster, starts the simulators, reads the fleet once a second into the
 * live view and the timeline, watches every child, and at the end (the simulators done, a child
 * dead, or {@link #stop} called on Ctrl-C) stops the simulators, then the nodes, and writes the
 * report. Every child is stopped by PID whatever happens.
 */
public final class DemoRun {

  /** Exit codes of a simulator that finished its run and wrote its report: clean, echo errors, thresholds. */
  private static final Set<Integer> SIMULATOR_FINISHED = Set.of(0, 3, 4);
  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  /**
   * How often every child counts its sockets in the kernel. The live view reads each second; when
   * every read counted, the counts took 19% of the machine's busy CPU at 150,000 connections; every
   * 5 s they still took 8-10% of the processes' CPU at 200,000 (24 processes, each about 45 ms a
   * count for its 16,667 sockets on the saturated machine), every 10 s 0.12 cores of the 22 processes
   * of a crowded 200,000 hold. So the children count every 10 s, a crowded demo's every 30 s
   * ({@link #kernelCountInterval}), the view shows the last count with its age, and the counts at
   * the end are always fresh.
   */
  static final Duration KERNEL_COUNT_INTERVAL = Duration.ofSeconds(10);
  static final Duration CROWDED_KERNEL_COUNT_INTERVAL = Duration.ofSeconds(30);
  /**
   * How long a demo process may go without a Hazelcast heartbeat before the others count it gone
   * (the loopback config's own is 10 s, for the fault tests' quick detection). When 12 simulators
   * start at once beside 12 nodes on 2 cores, the oldest member handled heartbeats up to 13 s after
   * they were sent: members were suspected, the cluster split, and one simulator timed out joining.
   * A demo detects a dead child by its process exit, not by heartbeats, so it can afford the slack.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Loopback handshakes a node of a crowded demo warms up with (a node's default is 2,000, each
   * with 4 echoes): enough calls of the handshake path for the tiered JIT's C2 to compile it before
   * the simulators start. With 2,000, the 11 nodes' C2 threads took 0.43 cores during the ramp of a
   * 200,000 demo; with 10,000 (and one instance a process) the ramp took 109 s instead of 125, the
   * hold's C2 stayed where it was (0.08 cores against 0.07: what is compiled late is not the
   * handshake path).
   */
  static final int CROWDED_WARMUP_CONNECTIONS = 10_000;
  /** How long that warm-up may take: 11 nodes warm up at once on 2 cores. */
  static final Duration CROWDED_WARMUP_TIMEOUT = Duration.ofSeconds(90);

  private final DemoSettings settings;
  private final DemoPlan plan;
  private final PrintStream out;
  private final String clusterName = "demo-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final StatusClient client = new StatusClient();
  private final List<JsonObject> deaths = new ArrayList<>();
  private boolean prometheus;
  private long timelineStartEpochMs;
  private PrometheusRun scraper;

  public DemoRun(DemoSettings settings, DemoPlan plan, PrintStream out) {
    this.settings = settings;
    this.plan = plan;
    this.out = out;
  }

  /** How often the children of {@code plan} count their sockets in the kernel. */
  static Duration kernelCountInterval(DemoPlan plan) {
    return plan.crowded() ? CROWDED_KERNEL_COUNT_INTERVAL : KERNEL_COUNT_INTERVAL;
  }

  /** Ends the run early (Ctrl-C): the report is still written. */
  public void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  /** The cluster name of this demo: fresh, so it never joins another cluster. */
  public String clusterName() {
    return clusterName;
  }

  /** The simulator config of simulator {@code index} (from 0): the shared config plus its own fields. */
  public static JsonObject simulatorConfig(DemoSettings s, DemoPlan plan, String clusterName, int index, int adminPort) {
    String name = "sim-" + (index + 1);
    JsonObject j = s.simulatorJson().copy();
    j.put("nodeId", name).put("targets", SimulatorConfig.CLUSTER_TARGETS).put("population", s.connections())
        .put("adminHost", "127.0.0.1").put("adminPort", adminPort).put("progressInterval", "1s")
        .put("osCountInterval", Durations.format(kernelCountInterval(plan)))
        .put("sourceAddresses", new JsonArray(new ArrayList<>(plan.sourceAddresses().get(index))))
        .put("report", new JsonObject().put("json", s.outDir().resolve(name + ".json").toString())
            .put("text", s.outDir().resolve(name + ".txt").toString())
            .put("html", s.outDir().resolve(name + ".html").toString()));
    if (plan.crowded() && !j.containsKey("instances")) {
      j.put("instances", DemoPlan.CROWDED_INSTANCES);
    }
    JsonObject cluster = j.getValue("cluster") instanceof JsonObject o ? o.copy() : new JsonObject();
    if (!cluster.containsKey("heartbeatTimeout")) {
      cluster.put("heartbeatTimeout", Durations.format(HEARTBEAT_TIMEOUT));
    }
    j.put("cluster", cluster.put("enabled", true).put("name", clusterName));
    return j;
  }

  /**
   * Also starts a Prometheus ({@link PrometheusRun}) scraping every child each second, once the
   * children are up, and stops it with the demo.
   */
  public DemoRun withPrometheus(boolean on) {
    this.prometheus = on;
    return this;
  }

  /** Runs the demo to its report; returns the report (null if none could be made). */
  public DemoReport run() throws IOException, InterruptedException {
    Files.createDirectories(settings.outDir());
    SimulatorConfig shared = SimulatorConfig.fromJson(simulatorConfig(settings, plan, clusterName, 0, 0));
    List<String> jit = plan.crowded() ? ChildProcesses.CLIENT_JIT_ONLY : List.of();
    String collector = plan.crowded() ? ChildProcesses.SERIAL : ChildProcesses.G1;
    List<String> jvm = ChildProcesses.holdfastJvm(settings.jar(), collector,
        plan.crowded() ? ChildProcesses.CROWDED_FLAGS : List.of());
    try (ChildProcesses children = new ChildProcesses(settings.outDir(), jvm, jit)) {
      out.printf("holdfast demo: %,d connections, %s, %s, churn %s, messages every %s, for %s%n",
          settings.connections(), DemoReport.plural(settings.nodes(), "node"),
          DemoReport.plural(settings.simulators(), "simulator"), settings.churn(),
          Durations.format(settings.interval()), Durations.format(settings.duration()));
      out.printf("  cluster %s on loopback; per process: nodes %,d, simulators %,d connections; run folder %s%n",
          clusterName, plan.perNode(), plan.perSimulator(), settings.outDir());
      if (plan.crowded()) {
        out.printf("  %d JVMs on %d cores: simulators run the client compiler only (%s), every process %d instance"
            + " and the serial collector, the event loops and collector before the JIT, nodes warm up with %,d"
            + " handshakes, kernel counts every %s%n",
            plan.nodes() + plan.simulators(), Runtime.getRuntime().availableProcessors(), String.join(" ", jit),
            DemoPlan.CROWDED_INSTANCES, CROWDED_WARMUP_CONNECTIONS, Durations.format(kernelCountInterval(plan)));
      }
      List<Child> nodes = startNodes(children);
      List<Child> sims = nodes == null ? List.of() : startSimulators(children);
      if (prometheus && sims != null && deaths.isEmpty()) {
        scraper = startPrometheus(children.all());
      }
      List<DemoSample> timeline = new ArrayList<>();
      FleetSampler sampler = null;
      if (nodes != null && sims != null && deaths.isEmpty()) {
        sampler = new FleetSampler(client, nodes, sims, settings.connections(),
            settings.churn().period().toNanos() / 1e9, plan.nodeStatusEverySeconds(), System.nanoTime());
        watch(children, sampler, timeline);
      }
      List<Child> simList = children.of(Child.Role.SIMULATOR);
      ChildProcesses.stop(simList, shared.settleTimeout().multipliedBy(2).plus(shared.closeTimeout()).plusSeconds(20));
      List<JsonObject> reports = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (Child s : simList) {
        Path p = settings.outDir().resolve(s.name() + ".json");
        if (Files.exists(p)) {
          reports.add(new JsonObject(Files.readString(p, StandardCharsets.UTF_8)));
        } else {
          missing.add(s.name());
        }
      }
      ChildProcesses.stop(children.of(Child.Role.NODE), shared.closeTimeout().plusSeconds(15));
      JsonObject demo = new JsonObject().put("cluster", clusterName).put("nodes", settings.nodes())
          .put("simulators", settings.simulators()).put("connections", settings.connections())
          .put("churnFraction", settings.churn().fraction()).put("churnPeriod", Durations.format(settings.churn().period()))
          .put("interval", Durations.format(settings.interval())).put("duration", Durations.format(settings.duration()))
          .put("out", settings.outDir().toString()).put("rampPerSecond", plan.rampPerSecond())
          .put("crowded", plan.crowded()).put("jvm", new JsonArray(new ArrayList<>(jvm)))
          .put("simulatorJvmFlags", new JsonArray(new ArrayList<>(jit)))
          .put("nodeStatusEverySeconds", plan.nodeStatusEverySeconds())
          .put("timelineStartEpochMs", timelineStartEpochMs); // the wall clock at t = 0 of the timeline
      DemoReport report = DemoReport.of(new DemoReport.Inputs(demo, children.all(), timeline, reports, missing,
          sampler == null ? java.util.Map.of() : sampler.lastStatus(), deaths, stopReason.get(), shared.tolerance(),
          shared.thresholds()));
      List<Path> written = report.write(settings.outDir());
      out.print(report.toText());
      written.forEach(p -> out.println("  report written: " + p));
      return report;
    } finally {
      if (scraper != null) {
        scraper.close();
      }
    }
  }

  private PrometheusRun startPrometheus(List<Child> all) throws InterruptedException {
    List<PrometheusRun.Target> targets = all.stream().map(c -> new PrometheusRun.Target(c.role().label(), c.name(),
        URI.create(c.adminUrl()).getAuthority(), clusterName)).toList();
    try {
      PrometheusRun p = PrometheusRun.start(targets, settings.outDir().resolve("prometheus"), Duration.ofSeconds(1));
      out.printf("  prometheus %s scraping %d processes every second (pid %d; graph: %s/graph); it stops with the demo%n",
          p.url(), targets.size(), p.pid(), p.url());
      return p;
    } catch (IOException e) {
      out.println("  prometheus did not start: " + e.getMessage());
      return null;
    }
  }

  private List<Child> startNodes(ChildProcesses children) throws IOException, InterruptedException {
    List<Child> nodes = new ArrayList<>();
    for (int i = 0; i < settings.nodes(); i++) {
      String name = "node-" + (i + 1);
      int ws = children.freePort();
      int admin = children.freePort();
      Path config = settings.outDir().resolve(name + "-config.json");
      JsonObject nodeConfig = new JsonObject().put("osCountInterval", Durations.format(kernelCountInterval(plan)))
          .put("openFileReserve", DemoPlan.NODE_RESERVE)
          .put("cluster", new JsonObject().put("heartbeatTimeout", Durations.format(HEARTBEAT_TIMEOUT)));
      if (plan.crowded()) {
        nodeConfig.put("instances", DemoPlan.CROWDED_INSTANCES).put("warmup", new JsonObject()
            .put("connections", CROWDED_WARMUP_CONNECTIONS).put("timeout", Durations.format(CROWDED_WARMUP_TIMEOUT)));
      }
      Files.writeString(config, nodeConfig.encodePrettily());
      nodes.add(children.start(Child.Role.NODE, name, admin, ws, List.of("node", "--config", config.toString(),
          "--node-id", name, "--port", Integer.toString(ws), "--admin-port", Integer.toString(admin),
          "--cluster-name", clusterName)));
      if (i == 0 && awaitReady(nodes.subList(0, 1), j -> j.getBoolean("ready", false), "up") == null) {
        return null; // the first node forms the cluster: the others start once it is up
      }
    }
    int expected = settings.nodes();
    return awaitReady(nodes, j -> j.getBoolean("ready", false)
        && j.getJsonObject("cluster").getInteger("members", 0) >= expected, "in the cluster") == null ? null : nodes;
  }

  private List<Child> startSimulators(ChildProcesses children) throws IOException, InterruptedException {
    List<Child> sims = new ArrayList<>();
    for (int i = 0; i < settings.simulators(); i++) {
      String name = "sim-" + (i + 1);
      int admin = children.freePort();
      Path config = settings.outDir().resolve(name + "-config.json");
      Files.writeString(config, simulatorConfig(settings, plan, clusterName, i, admin).encodePrettily());
      sims.add(children.start(Child.Role.SIMULATOR, name, admin, 0, List.of("simulate", "--config", config.toString())));
    }
    return awaitReady(sims, j -> true, "ready");
  }

  /** Waits until every child's {@code /status} answers and passes {@code ready}; null if one died or the deadline passed. */
  private List<Child> awaitReady(List<Child> which, Predicate<JsonObject> ready, String what) throws InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    long start = System.nanoTime();
    List<Child> waiting = new ArrayList<>(which);
    while (!waiting.isEmpty()) {
      for (Child c : List.copyOf(waiting)) {
        if (!c.alive()) {
          died(c, (System.nanoTime() - start) / 1e9);
          return null;
        }
        Optional<JsonObject> st = client.status(c);
        if (st.isPresent() && ready.test(st.get())) {
          waiting.remove(c);
          out.printf("  %-8s pid %-7d %s %s (%.1fs)%n", c.name(), c.pid(), c.adminUrl(), what,
              (System.nanoTime() - start) / 1e9);
        }
      }
      if (stopReason.get() != null || System.nanoTime() > deadline) {
        stop(System.nanoTime() > deadline ? "not ready within " + START_DEADLINE.toSeconds() + "s: " + names(waiting)
            : stopReason.get());
        return null;
      }
      if (!waiting.isEmpty()) {
        Thread.sleep(250);
      }
    }
    return which;
  }

  /** Reads the fleet every second until the simulators are done, a child dies or the run is stopped. */
  private void watch(ChildProcesses children, FleetSampler sampler, List<DemoSample> timeline) throws InterruptedException {
    List<Child> nodes = children.of(Child.Role.NODE);
    List<Child> sims = children.of(Child.Role.SIMULATOR);
    LiveView view = new LiveView(out, settings.ansi(), nodes.stream().map(Child::name).toList(), settings.churn(),
        settings.duration().toSeconds());
    double hold = settings.duration().toNanos() / 1e9;
    double bound = hold + 120;
    long start = System.nanoTime();
    timelineStartEpochMs = System.currentTimeMillis();
    long next = start;
    out.println();
    while (true) {
      next += 1_000_000_000L;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      double t = (System.nanoTime() - start) / 1e9;
      if (stopReason.get() != null) {
        break;
      }
      boolean anyDied = false;
      for (Child c : children.all()) {
        if (!c.alive() && deaths.stream().noneMatch(d -> d.getString("name").equals(c.name()))
            && (c.role() == Child.Role.NODE || !SIMULATOR_FINISHED.contains(c.exitCode())
                || !Files.exists(settings.outDir().resolve(c.name() + ".json")))) {
          died(c, t);
          anyDied = true;
        }
      }
      if (anyDied) {
        stop("a child died");
        break;
      }
      if (sims.stream().noneMatch(Child::alive)) {
        break;
      }
      if (t > bound) {
        stop("the simulators did not finish within " + Math.round(bound) + "s");
        break;
      }
      DemoSample s = sampler.take(t < hold - 1.5);
      timeline.add(s);
      if (s.phase().equals("hold") || s.phase().equals("settle")) {
        view.show(s); // the view keeps the hold's last state; the timeline also shows the close
      }
    }
    view.end();
  }

  private void died(Child c, double seconds) {
    JsonObject d = new JsonObject().put("name", c.name()).put("role", c.role().label()).put("pid", c.pid())
        .put("exitCode", c.exitCode()).put("seconds", Math.round(seconds * 10) / 10.0)
        .put("lastLogLines", new JsonArray(new ArrayList<>(c.lastLogLines(10))));
    deaths.add(d);
    out.printf("holdfast demo: %s (pid %d) died with exit code %d; its last log lines:%n", c.name(), c.pid(), c.exitCode());
    c.lastLogLines(10).forEach(l -> out.println("    | " + l));
  }

  private static String names(List<Child> cs) {
    return String.join(", ", cs.stream().map(Child::name).toList());
  }
}
