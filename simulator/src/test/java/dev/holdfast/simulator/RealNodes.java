package dev.holdfast.simulator;

import dev.holdfast.node.EchoNode;
import dev.holdfast.node.NodeConfig;
import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.role.RoleRuntime;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.fleet.StandaloneMembership;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.StaticTargetDirectory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Real echo nodes and real simulator runs in this JVM, on loopback, for the tests. */
final class RealNodes implements AutoCloseable {

  private final List<EchoNode> nodes = new ArrayList<>();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final Vertx timers = Vertx.vertx();
  /** Every progress line the simulator printed. */
  final List<String> progress = Collections.synchronizedList(new ArrayList<>());
  /** Each node's held count when the servers' count was last read (the final count, after a run). */
  volatile long[] lastHeldPerNode = new long[0];

  /** Starts an echo node on any free port; {@code tune} may change its config first. */
  EchoNode startNode(Consumer<NodeConfig> tune) throws Exception {
    NodeConfig c = new NodeConfig().port(0).adminPort(0).instances(2).nodeId("echo-" + nodes.size())
        .closeTimeout(Duration.ofSeconds(2));
    c.cluster().enabled(false);
    tune.accept(c);
    RoleRuntime runtime = RoleBootstrap.start(EchoNode.roleOptions(c)).await(30, TimeUnit.SECONDS);
    vertxes.add(runtime.vertx());
    EchoNode node = EchoNode.launch(c, runtime, router -> { }).await(30, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  /** The nodes' own count of held connections: the servers' count in these tests. */
  ServerCount serverCount() {
    return () -> {
      long[] each = nodes.stream().mapToLong(EchoNode::held).toArray();
      lastHeldPerNode = each;
      return Future.succeededFuture(java.util.Arrays.stream(each).sum());
    };
  }

  /** A config for a short standalone run against the given URLs, with the admin port on any free port. */
  static SimulatorConfig config(List<String> targets, long population, Duration duration) {
    SimulatorConfig c = new SimulatorConfig().targets(targets).population(population).instances(2).duration(duration)
        .progressInterval(Duration.ofSeconds(1)).adminPort(0).seed(1L);
    c.cluster().enabled(false);
    return c;
  }

  /** Runs a standalone simulator to the end and returns its report. */
  RunReport simulate(SimulatorConfig config, long timeoutSeconds) throws Exception {
    return simulate(config, timeoutSeconds, sim -> { });
  }

  /** Runs a standalone simulator; {@code during} gets the running node (off the event loops) once it started. */
  RunReport simulate(SimulatorConfig config, long timeoutSeconds, Consumer<SimulatorNode> during) throws Exception {
    return simulate(config, serverCount(), timeoutSeconds, during);
  }

  /** Runs a standalone simulator against servers other than this fixture's nodes. */
  RunReport simulate(SimulatorConfig config, ServerCount servers, long timeoutSeconds) throws Exception {
    return simulate(config, servers, timeoutSeconds, sim -> { });
  }

  private RunReport simulate(SimulatorConfig config, ServerCount servers, long timeoutSeconds,
      Consumer<SimulatorNode> during) throws Exception {
    return simulate(config, new StandaloneMembership(config.nodeId()), servers, timeoutSeconds, during);
  }

  /** Runs a simulator that sees the fleet through {@code membership}. */
  RunReport simulate(SimulatorConfig config, Membership membership, ServerCount servers, long timeoutSeconds,
      Consumer<SimulatorNode> during) throws Exception {
    RoleRuntime runtime = RoleBootstrap.start(SimulatorStartup.roleOptions(config)).await(30, TimeUnit.SECONDS);
    PrometheusMeterRegistry r = runtime.registry();
    Vertx v = runtime.vertx();
    vertxes.add(v);
    SimulatorNode sim = SimulatorNode.launch(config, v, r, membership,
        StaticTargetDirectory::create, servers, line -> {
          progress.add(line);
          System.out.println(line);
        }).await(30, TimeUnit.SECONDS);
    try {
      during.accept(sim);
      RunReport report = sim.finished().await(timeoutSeconds, TimeUnit.SECONDS);
      System.out.println(report.toText());
      return report;
    } finally {
      sim.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** Waits until {@code condition} holds, checking every 20 ms; fails after {@code deadline}. */
  void await(BooleanSupplier condition, Duration deadline, String what) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long id = timers.setPeriodic(20, t -> {
      if (condition.getAsBoolean()) {
        done.complete(null);
      }
    });
    try {
      done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("waited " + deadline + " for " + what);
    } finally {
      timers.cancelTimer(id);
    }
  }

  @Override
  public void close() throws Exception {
    for (EchoNode n : nodes) {
      n.stop().await(30, TimeUnit.SECONDS);
    }
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    timers.close().await(30, TimeUnit.SECONDS);
  }
}
