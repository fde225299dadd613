package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cluster.ClusterJoin;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.node.EchoNode;
import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.fleet.ClusterMembership;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.StaticTargetDirectory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two clustered simulators (real embedded Hazelcast on loopback) given a population neither may
 * hold alone start anyway; once they see each other, each checks its share against what it can
 * hold, holds what it can, and says how many simulators the population needs.
 */
class ClusteredShareCheckTest {

  private static final long POPULATION = 300;
  private static final long CAN_HOLD = 100;

  @Test
  void twoSimulatorsTooSmallForThePopulationStartAndSayTheFleetNeedsOneMore() throws Exception {
    long limit = OpenFileLimit.max();
    Assumptions.assumeTrue(limit > 1000, "needs an open-file limit the OS reports");
    String cluster = "share-check-" + UUID.randomUUID();
    try (RealNodes nodes = new RealNodes()) {
      EchoNode echo = nodes.startNode(c -> { });
      List<Simulator> sims = new ArrayList<>();
      try {
        for (String id : List.of("sim-a", "sim-b")) {
          SimulatorConfig c = RealNodes.config(List.of(echo.wsUrl()), POPULATION, Duration.ofSeconds(60)).nodeId(id)
              .openFileReserve((int) (limit - CAN_HOLD));
          c.churn().fraction(0);
          c.cluster().enabled(true).name(cluster);
          sims.add(Simulator.start(c, nodes));
        }
        String problem = "population 300 needs at least 3 simulators of ≤ 100 each; the fleet has 2: start 1 more";
        for (Simulator s : sims) {
          nodes.await(() -> s.node.share() == POPULATION / 2 && s.node.held() == CAN_HOLD, Duration.ofSeconds(60),
              s.node.nodeId() + " holding what it can of its share");
          assertThat(s.node.status().getJsonObject("population").getString("fleetTooSmall")).isEqualTo(problem);
        }
        assertThat(nodes.progress).anyMatch(l -> l.contains("fleet too small: " + problem));
        assertThat(echo.held()).isEqualTo(2 * CAN_HOLD);
        for (Simulator s : sims) {
          s.node.finishNow();
        }
        for (Simulator s : sims) {
          RunReport report = s.node.finished().await(60, TimeUnit.SECONDS);
          assertThat(report.toJson().getJsonObject("population").getString("fleetTooSmall")).isEqualTo(problem);
          assertThat(report.toJson().getJsonObject("run").getLong("illegalTransitions")).isZero();
        }
      } finally {
        for (Simulator s : sims) {
          s.stop();
        }
      }
    }
  }

  /** A clustered simulator node as {@code holdfast simulate} starts one, in this JVM. */
  private record Simulator(SimulatorNode node, ClusterView view, ClusterJoin join) {

    static Simulator start(SimulatorConfig c, RealNodes nodes) throws Exception {
      PrometheusMeterRegistry registry = Metrics.newRegistry("simulator", c.nodeId());
      com.hazelcast.config.Config hz = c.cluster().hazelcastConfig();
      hz.setProperty("hazelcast.health.monitoring.level", "OFF");
      ClusterJoin join = ClusterJoin.join(RoleBootstrap.vertxOptions(SimulatorStartup.roleOptions(c)), registry, hz).await(120, TimeUnit.SECONDS);
      ClusterView view = new ClusterView(join, c.cluster().publishInterval(), c.cluster().ttlIntervals());
      AtomicReference<SimulatorNode> running = new AtomicReference<>();
      view.start(() -> {
        SimulatorNode n = running.get();
        long held = n == null ? 0 : n.held();
        return new NodeSnapshot(c.nodeId(), null, NodeSnapshot.ROLE_SIMULATOR, "", held, 0, 0, 0, -1, 0);
      }).await(30, TimeUnit.SECONDS);
      ClusterMembership membership = new ClusterMembership(view, c.nodeId(), c.population(), SimulatorNode.MEMBERSHIP_POLL);
      SimulatorNode node = SimulatorNode.launch(c, join.vertx(), registry, membership, StaticTargetDirectory::create,
          ServerCount.UNKNOWN, line -> {
            nodes.progress.add(c.nodeId() + " " + line);
            System.out.println(c.nodeId() + " " + line);
          }).await(60, TimeUnit.SECONDS);
      running.set(node);
      return new Simulator(node, view, join);
    }

    void stop() throws Exception {
      view.stop().await(10, TimeUnit.SECONDS);
      node.stop().await(30, TimeUnit.SECONDS);
      join.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }
}
