package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.node.EchoNode;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.fleet.StandaloneMembership;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.StaticTargetDirectory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Storm mode, rebalancing on membership changes, and the checks made before a run starts. */
class StormAndRebalanceTest {

  @Test
  void aStormDropsItsFractionAtOnceAndThePopulationComesBack() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = nodes.startNode(c -> { });
      SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject()
          .put("targets", List.of(node.wsUrl())).put("population", 400).put("instances", 2).put("duration", "6s")
          .put("progressInterval", "500ms").put("adminPort", 0).put("seed", 3)
          .put("cluster", new JsonObject().put("enabled", false))
          .put("churn", new JsonObject().put("fraction", 0)
              .put("storm", new JsonObject().put("at", "3s").put("fraction", 0.5).put("reconnectDelay", List.of("0ms", "500ms")))));
      RunReport report = nodes.simulate(c, 60);
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("churn").getLong("stormCloses")).isEqualTo(200);
      assertThat(j.getJsonObject("churn").getLong("closes")).isZero();
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(400);
      assertThat(j.getJsonObject("population").getBoolean("withinTolerance")).isTrue();
      assertThat(nodes.progress).anyMatch(l -> l.contains("storm: dropping 50% of held connections"));
      assertThat(report.echoErrors()).isZero();
    }
  }

  @Test
  void aMemberJoiningHalvesTheShareAndLeavingRestoresIt() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = nodes.startNode(c -> { });
      SimulatorConfig c = RealNodes.config(List.of(node.wsUrl()), 300, Duration.ofSeconds(30)).nodeId("sim-a");
      c.churn().fraction(0);
      Fleet fleet = new Fleet("sim-a");
      RunReport report = nodes.simulate(c, fleet, nodes.serverCount(), 60, sim -> {
        try {
          nodes.await(() -> sim.held() == 300, Duration.ofSeconds(20), "the whole population");
          fleet.members = List.of("sim-a", "sim-b"); // "sim-a" sorts first: it keeps the odd one
          nodes.await(() -> sim.share() == 150 && sim.held() == 150 && node.held() == 150, Duration.ofSeconds(20),
              "the share to halve");
          fleet.members = List.of("sim-a");
          nodes.await(() -> sim.held() == 300, Duration.ofSeconds(20), "the share to come back");
          sim.finishNow();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("churn").getLong("rebalanceCloses")).isEqualTo(150);
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(300);
      assertThat(j.getJsonObject("run").getDouble("holdSeconds")).isLessThan(30);
      assertThat(nodes.progress).anyMatch(l -> l.contains("rebalance: 2 member(s), this node's share 300 -> 150"));
      assertThat(report.echoErrors()).isZero();
    }
  }

  /** A fleet whose members the test changes. */
  private static final class Fleet implements Membership {
    private final String self;
    volatile List<String> members;

    Fleet(String self) {
      this.self = self;
      this.members = List.of(self);
    }

    @Override
    public String selfId() {
      return self;
    }

    @Override
    public List<String> members() {
      return members;
    }
  }

  @Test
  void machineChecksFailBeforeAnyConnectionWithTheFieldsPath() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SimulatorConfig notLocal = RealNodes.config(List.of("ws://127.0.0.1:1/ws"), 10, Duration.ofSeconds(1))
          .sourceAddresses(List.of("127.0.0.2", "192.0.2.1"));
      assertLaunchFails(vertx, notLocal, "$.sourceAddresses[1]", "not an address of this machine");
      SimulatorConfig tooMany = RealNodes.config(List.of("ws://127.0.0.1:1/ws"), 10_000_000, Duration.ofSeconds(1));
      tooMany.ramp().perSecond(1_000_000);
      assertLaunchFails(vertx, tooMany, "$.population", "open-file limit");
      SimulatorConfig cluster = SimulatorConfig.fromJson(new JsonObject("{\"targets\": \"cluster\", \"adminPort\": 0}"));
      assertLaunchFails(vertx, cluster, "$.targets", "needs the cluster view");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void assertLaunchFails(Vertx vertx, SimulatorConfig c, String path, String says) {
    assertThatThrownBy(() -> SimulatorNode.launch(c, vertx, Metrics.newRegistry("simulator", "t"),
        new StandaloneMembership(c.nodeId()), StaticTargetDirectory::create, ServerCount.UNKNOWN, l -> { })
        .await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(path + ": ")
        .hasMessageContaining(says);
  }
}
