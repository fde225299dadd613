package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.node.EchoNode;
import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.report.RunReport;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A clustered simulator starts with any population and checks its share once the fleet is known:
 * a share above what it can hold is cut down to that, and the run says how many simulators the
 * fleet needs. (A standalone one refuses at start: {@link StormAndRebalanceTest}.)
 */
class FleetShareCheckTest {

  @Test
  void aShareAboveTheOpenFileBudgetIsCutDownAndTheRunSaysTheFleetIsTooSmall() throws Exception {
    long limit = OpenFileLimit.max();
    Assumptions.assumeTrue(limit > 1000, "needs an open-file limit the OS reports");
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = nodes.startNode(c -> { });
      // a reserve that leaves this process room for 100 connections; two members share 300: 150 each
      SimulatorConfig c = RealNodes.config(List.of(node.wsUrl()), 300, Duration.ofSeconds(30)).nodeId("sim-a")
          .openFileReserve((int) (limit - 100));
      c.churn().fraction(0);
      Membership twoOfUs = new Membership() {
        @Override
        public String selfId() {
          return "sim-a";
        }

        @Override
        public List<String> members() {
          return List.of("sim-a", "sim-b");
        }
      };
      AtomicReference<JsonObject> status = new AtomicReference<>();
      RunReport report = nodes.simulate(c, twoOfUs, nodes.serverCount(), 60, sim -> {
        try {
          nodes.await(() -> sim.held() == 100, Duration.ofSeconds(20), "the 100 this process can hold");
          status.set(sim.status());
          sim.finishNow();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      String problem = "population 300 needs at least 3 simulators of ≤ 100 each; the fleet has 2: start 1 more";
      assertThat(nodes.progress).anyMatch(l -> l.contains("fleet too small: " + problem));
      JsonObject population = status.get().getJsonObject("population");
      assertThat(population.getLong("share")).isEqualTo(150);
      assertThat(population.getLong("canHold")).isEqualTo(100);
      assertThat(population.getString("fleetTooSmall")).isEqualTo(problem);
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("population").getString("fleetTooSmall")).isEqualTo(problem);
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(100);
      assertThat(j.getJsonObject("verdict").getBoolean("populationHeld")).isFalse();
      assertThat(report.toText()).contains("fleet       TOO SMALL: " + problem);
    }
  }
}
