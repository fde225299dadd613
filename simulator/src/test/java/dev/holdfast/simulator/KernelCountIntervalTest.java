package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.node.EchoNode;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.report.RunReport;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The simulator counts its sockets in the kernel every {@code osCountInterval}, not at every
 * progress tick, and its final count is always fresh: real sockets to a real echo node.
 */
class KernelCountIntervalTest {

  private static final int POPULATION = 50;

  @Test
  void countsOnceWhenTheIntervalIsLongerThanTheRunAndFreshAtTheEnd() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = nodes.startNode(c -> { });
      AtomicReference<JsonObject> before = new AtomicReference<>();
      AtomicReference<JsonObject> during = new AtomicReference<>();
      RunReport report = run(nodes, node, Duration.ofHours(1), before, during);
      JsonObject counts = during.get().getJsonObject("counts");
      assertThat(counts.getLong("osCounts")).as("kernel counts by the end of the ramp and ten more ticks").isEqualTo(1);
      assertThat(counts.getLong("osAgeMs")).as("the shown count's age").isPositive();
      assertThat(report.toJson().getJsonObject("counts").getLong("os")).as("the final count").isEqualTo(POPULATION);
    }
  }

  @Test
  void countsAgainOnceItsIntervalHasPassed() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = nodes.startNode(c -> { });
      AtomicReference<JsonObject> before = new AtomicReference<>();
      AtomicReference<JsonObject> during = new AtomicReference<>();
      RunReport report = run(nodes, node, Duration.ofMillis(300), before, during);
      long counted = during.get().getJsonObject("counts").getLong("osCounts")
          - before.get().getJsonObject("counts").getLong("osCounts");
      // ten ticks at least 100 ms apart span a 300 ms interval, and a tick counts at most once
      assertThat(counted).as("kernel counts over ten progress ticks, one due every 300 ms").isBetween(1L, 10L);
      assertThat(during.get().getJsonObject("counts").getLong("os")).isEqualTo(POPULATION);
      assertThat(report.toJson().getJsonObject("counts").getLong("os")).isEqualTo(POPULATION);
    }
  }

  /**
   * A run of {@link #POPULATION} with progress every 100 ms: {@code before} gets /status once all are
   * held, {@code during} ten progress ticks later; then the run ends.
   */
  private static RunReport run(RealNodes nodes, EchoNode node, Duration osCountInterval,
      AtomicReference<JsonObject> before, AtomicReference<JsonObject> during) throws Exception {
    SimulatorConfig c = RealNodes.config(List.of(node.wsUrl()), POPULATION, Duration.ofSeconds(60))
        .progressInterval(Duration.ofMillis(100)).osCountInterval(osCountInterval);
    c.ramp().perSecond(1000).inFlight(50);
    c.churn().fraction(0);
    return nodes.simulate(c, 90, sim -> {
      try {
        nodes.await(() -> sim.held() == POPULATION, Duration.ofSeconds(30), "the population held");
        before.set(sim.status());
        int ticks = nodes.progress.size();
        nodes.await(() -> nodes.progress.size() >= ticks + 10, Duration.ofSeconds(30), "ten more progress ticks");
        during.set(sim.status());
        sim.finishNow();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }
}
