package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;
import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger;
import dev.holdfast.simulator.fleet.ClusterMembership;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.target.ClusterServerCount;
import dev.holdfast.simulator.target.ClusterTargetDirectory;
import dev.holdfast.simulator.target.TargetDirectory;
import java.util.concurrent.atomic.AtomicReference;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.role.RoleOptions;
import dev.holdfast.role.RoleRuntime;
import dev.holdfast.simulator.SimulatorNode;
import dev.holdfast.simulator.SimulatorStartup;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.fleet.StandaloneMembership;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.StaticTargetDirectory;
import dev.holdfast.simulator.target.StatusUrlServerCount;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code holdfast simulate}: runs a simulator node for the configured duration, then prints (and
 * writes) its report. Exit codes: 0 clean run, 1 could not run, 2 config error,
 * {@value #ECHO_ERRORS} the run found echo errors (lost, duplicated, reordered or mismatched).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Runs a simulator node: holds a churning population of WebSockets",
        "against echo nodes, checks every echo, measures latency from the",
        "intended send time, and reports. Flags override the JSON config file;",
        "every field has a default (see README).",
        "Exit codes: 0 clean, 1 could not run, 2 config error, 3 echo errors found,",
        "4 a threshold failed."})
final class SimulateCommand implements Callable<Integer> {

  /** Exit code when the run found lost, duplicated, reordered or mismatched echoes. */
  static final int ECHO_ERRORS = 3;
  /** Exit code when a threshold of {@code $.thresholds} failed. */
  static final int THRESHOLDS_FAILED = 4;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file")
  Path config;

  @Option(names = "--node-id", paramLabel = "ID", description = "Simulator node id (default: hostname-pid-sim)")
  String nodeId;

  @Option(names = "--target", paramLabel = "URL",
      description = "WebSocket URL of an echo node, or \"cluster\" to find them in the cluster view; repeat for several"
          + " (default ws://127.0.0.1:8080/ws)")
  List<String> targets;

  @Option(names = "--population", paramLabel = "N", description = "Connections to hold across the fleet (default 1000)")
  Long population;

  @Option(names = "--duration", paramLabel = "DURATION", description = "How long to hold, ramp included, e.g. 30s (default 60s)")
  String duration;

  @Option(names = "--instances", paramLabel = "N", description = "Simulator verticles = event loops (default: cores)")
  Integer instances;

  @Option(names = "--source-address", paramLabel = "IP",
      description = "Local address to connect from; repeat to spread connections (default: the OS chooses)")
  List<String> sourceAddresses;

  @Option(names = "--node-status-url", paramLabel = "URL",
      description = "An echo node's http://host:adminPort/status, for the servers' count when standalone; repeatable")
  List<String> nodeStatusUrls;

  @Option(names = "--admin-host", description = "Host of the admin HTTP port (default 127.0.0.1)")
  String adminHost;

  @Option(names = "--admin-port", description = "Admin HTTP port; 0 = any free port (default 9190)")
  Integer adminPort;

  @Option(names = "--progress-interval", paramLabel = "DURATION", description = "Progress line every (default 5s)")
  String progressInterval;

  @Option(names = "--report-json", paramLabel = "FILE", description = "Write the JSON report here")
  String reportJson;

  @Option(names = "--report-text", paramLabel = "FILE", description = "Write the text report here")
  String reportText;

  @Option(names = "--report-html", paramLabel = "FILE", description = "Write the HTML report (with plots) here")
  String reportHtml;

  @Option(names = "--seed", description = "Seed of the random choices, for a repeatable run")
  Long seed;

  @Mixin
  ClusterOptions clusterOptions;

  @Override
  public Integer call() throws Exception {
    SimulatorConfig cfg;
    try {
      cfg = SimulatorConfig.fromJson(withFlags(config == null ? new JsonObject() : ConfigReader.readFile(config)));
    } catch (ConfigException e) {
      return Cli.configError("simulate", e);
    }
    ClusterSettings cs = cfg.cluster();
    AtomicReference<SimulatorNode> running = new AtomicReference<>();
    RoleOptions role = SimulatorStartup.roleOptions(cfg);
    RoleRuntime runtime = null;
    ClusterView view;
    try {
      // targets found in the cluster: the echo nodes are its data members, this simulator needs to own nothing
      Cli.Started started = Cli.start(role, cs, cfg.clusterTargets());
      runtime = started.runtime();
      view = started.view();
      if (view != null) {
        // the fleet's membership and its settled instant need the other simulators' rows every interval
        view.readRowsEvery(1);
        // published before the run starts, so the other simulators count this one in their shares
        view.start(() -> snapshot(cfg, running.get())).await(30, TimeUnit.SECONDS);
        view.registerMetrics(runtime.registry());
      }
    } catch (ConfigException e) {
      return Cli.configError("simulate", e);
    } catch (Exception e) {
      System.err.println("holdfast simulate: could not join the cluster: " + Cli.rootCause(e));
      if (runtime != null) {
        runtime.close();
      }
      return Holdfast.FAILED;
    }
    Vertx vertx = runtime.vertx();
    PrometheusMeterRegistry registry = runtime.registry();
    ClusterView clusterView = view;
    Membership membership = view == null ? new StandaloneMembership(cfg.nodeId())
        : new ClusterMembership(view, cfg.nodeId(), cfg.population(), SimulatorNode.MEMBERSHIP_POLL);
    TargetDirectory.Factory directories = view == null ? StaticTargetDirectory::create : ClusterTargetDirectory.over(view);
    ServerCount servers = view != null ? new ClusterServerCount(view, cfg.nodeId())
        : cfg.nodeStatusUrls().isEmpty() ? ServerCount.UNKNOWN : new StatusUrlServerCount(vertx, cfg.nodeStatusUrls());
    SimulatorNode node;
    try {
      node = SimulatorNode.launch(cfg, vertx, registry, membership, directories, servers, System.out::println)
          .await(60, TimeUnit.SECONDS);
      running.set(node);
    } catch (Exception e) {
      vertx.close();
      Throwable cause = Cli.rootCause(e);
      if (cause instanceof ConfigException ce) {
        return Cli.configError("simulate", ce);
      }
      System.err.println("holdfast simulate: could not start: " + cause);
      return Holdfast.FAILED;
    }
    printBanner(node, runtime);
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      // Ctrl-C or SIGTERM: end the hold now, and let the run settle, close and report
      node.finishNow();
      try {
        // settling, then (in a fleet) waiting for the others to settle: each up to settleTimeout
        reported.await(2 * cfg.settleTimeout().toMillis() + cfg.closeTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "holdfast-simulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    long boundMillis = cfg.duration().toMillis() + 2 * cfg.settleTimeout().toMillis() + cfg.closeTimeout().toMillis() + 60_000;
    RunReport report;
    try {
      report = node.finished().await(boundMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("holdfast simulate: the run failed: " + Cli.rootCause(e));
      stop(clusterView, node, vertx);
      reported.countDown();
      return Holdfast.FAILED;
    }
    System.out.print(report.toText());
    printWritten(cfg);
    reported.countDown();
    stop(clusterView, node, vertx);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running: it returns now that the report is out
    }
    return report.echoErrors() > 0 ? ECHO_ERRORS : report.thresholdsPassed() ? 0 : THRESHOLDS_FAILED;
  }

  /** Leaves the cluster view first (so the others take over this share), then closes. */
  private static void stop(ClusterView view, SimulatorNode node, Vertx vertx) {
    if (view != null) {
      Cli.awaitQuietly("leave the cluster view", view.stop(), 10_000);
    }
    Cli.awaitQuietly("stop", node.stop(), 30_000);
    Cli.awaitQuietly("close", vertx.close(), 30_000);
  }

  /** This simulator as the cluster view shows it: its held connections, the kernel's count of them, and its phase. */
  private static NodeSnapshot snapshot(SimulatorConfig cfg, SimulatorNode node) {
    if (node == null) {
      return new NodeSnapshot(cfg.nodeId(), null, NodeSnapshot.ROLE_SIMULATOR, "", 0, 0, 0, 0, -1, 0,
          ClusterServerCount.HOLD, System.currentTimeMillis() + cfg.duration().toMillis());
    }
    LedgerTotals t = node.totals();
    return new NodeSnapshot(cfg.nodeId(), null, NodeSnapshot.ROLE_SIMULATOR, "", t.held(),
        t.get(SimulatorLedger.Count.OPENED), t.closedTotal(), 0, node.osEstablished(), 0, node.fleetPhase(),
        node.holdEndsAtMillis());
  }

  private JsonObject withFlags(JsonObject json) {
    Cli.putIfGiven(json, "nodeId", nodeId);
    if (targets != null && targets.equals(List.of(SimulatorConfig.CLUSTER_TARGETS))) {
      json.put("targets", SimulatorConfig.CLUSTER_TARGETS);
    } else if (targets != null && !targets.isEmpty()) {
      json.put("targets", new JsonArray(List.copyOf(targets)));
    }
    Cli.putIfGiven(json, "population", population);
    Cli.putIfGiven(json, "duration", duration);
    Cli.putIfGiven(json, "instances", instances);
    if (sourceAddresses != null && !sourceAddresses.isEmpty()) {
      json.put("sourceAddresses", new JsonArray(List.copyOf(sourceAddresses)));
    }
    if (nodeStatusUrls != null && !nodeStatusUrls.isEmpty()) {
      json.put("nodeStatusUrls", new JsonArray(List.copyOf(nodeStatusUrls)));
    }
    Cli.putIfGiven(json, "adminHost", adminHost);
    Cli.putIfGiven(json, "adminPort", adminPort);
    Cli.putIfGiven(json, "progressInterval", progressInterval);
    Cli.putIfGiven(json, "seed", seed);
    if (reportJson != null || reportText != null || reportHtml != null) {
      JsonObject report = json.getValue("report") instanceof JsonObject o ? o : new JsonObject();
      Cli.putIfGiven(report, "json", reportJson);
      Cli.putIfGiven(report, "text", reportText);
      Cli.putIfGiven(report, "html", reportHtml);
      json.put("report", report);
    }
    clusterOptions.applyTo(json);
    return json;
  }


  private static void printBanner(SimulatorNode node, RoleRuntime runtime) {
    SimulatorConfig c = node.config();
    System.out.printf("holdfast simulate %s: %s of %d connections to %s, %d simulator verticles, %s transport%n",
        node.nodeId(), node.joined() ? Long.toString(node.share()) : "its share (once the fleet has seen it)",
        c.population(), c.clusterTargets() ? "the cluster's echo nodes" : c.targets(),
        c.instances(), runtime.transportName());
    System.out.printf("  ramp %.0f/s (%d in flight), churn %.3f per %s, messages every %s (%d bytes), for %s%n",
        c.ramp().perSecond(), c.ramp().inFlight(), c.churn().fraction(),
        dev.holdfast.config.Durations.format(c.churn().period()),
        dev.holdfast.config.Durations.format(c.messages().interval()), c.messages().payloadBytes(),
        dev.holdfast.config.Durations.format(c.duration()));
    System.out.printf("  open-file limit %d; admin http://%s:%d  (/health /ready /status /metrics)%n",
        node.openFiles(), c.adminHost(), node.adminPort());
  }

  private static void printWritten(SimulatorConfig c) {
    for (String p : new String[] {c.report().json(), c.report().text(), c.report().html()}) {
      if (p != null) {
        System.out.println("  report written: " + p);
      }
    }
  }
}
