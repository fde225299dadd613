package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.holdfast.node.EchoNode;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.report.RunReport;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The acceptance run: 2,000 held with 20% churn per 10 s for 30 s, against real echo nodes. */
class SimulatorRunTest {

  @Test
  void holdsTwoThousandWithTwentyPercentChurnPerTenSeconds() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode a = nodes.startNode(c -> { });
      EchoNode b = nodes.startNode(c -> { });
      SimulatorConfig c = RealNodes.config(List.of(a.wsUrl(), b.wsUrl()), 2000, Duration.ofSeconds(30))
          .sourceAddresses(List.of("127.0.0.2", "127.0.0.3"));
      c.ramp().perSecond(1000).inFlight(200);
      c.churn().fraction(0.2).period(Duration.ofSeconds(10)).reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(1));
      c.messages().interval(Duration.ofSeconds(5)).payloadBytes(64);
      AtomicReference<String> metrics = new AtomicReference<>();
      AtomicReference<JsonObject> status = new AtomicReference<>();

      RunReport report = nodes.simulate(c, 90, sim -> {
        try {
          nodes.await(() -> sim.held() >= 1900, Duration.ofSeconds(20), "the ramp");
          HttpClient http = HttpClient.newHttpClient();
          String base = "http://127.0.0.1:" + sim.adminPort();
          metrics.set(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body());
          status.set(new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
              HttpResponse.BodyHandlers.ofString()).body()));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });

      JsonObject j = report.toJson();
      JsonObject churn = j.getJsonObject("churn");
      assertThat(churn.getDouble("achievedFraction")).isCloseTo(0.2, within(0.2 * 0.15));
      assertThat(churn.getLong("windowCloses")).isGreaterThan(400);
      JsonObject population = j.getJsonObject("population");
      assertThat(population.getLong("target")).isEqualTo(2000);
      assertThat(population.getLong("heldAtEnd")).isEqualTo(2000);
      assertThat(population.getBoolean("withinTolerance")).isTrue();
      assertThat(population.getLong("samplesAfterRamp")).isGreaterThan(10);
      JsonObject messages = j.getJsonObject("messages");
      assertThat(messages.getLong("sent")).isGreaterThan(9000);
      assertThat(messages.getLong("echoed")).isEqualTo(messages.getLong("sent"));
      assertThat(report.echoErrors()).isZero();
      assertThat(j.getJsonObject("errors").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum()).isZero();
      JsonObject counts = j.getJsonObject("counts");
      assertThat(counts.getLong("simulator")).isEqualTo(2000);
      assertThat(counts.getLong("os")).isEqualTo(2000);
      assertThat(counts.getLong("cluster")).isEqualTo(2000);
      assertThat(j.getJsonObject("verdict").getBoolean("ok")).isTrue();
      // the connection state machine accepted every event of the run
      assertThat(j.getJsonObject("run").getLong("illegalTransitions")).isZero();
      assertThat(status.get().getLong("illegalTransitions")).isZero();
      assertThat(j.getJsonObject("population").containsKey("fleetTooSmall")).isFalse();
      // least-loaded: both nodes hold about half
      assertThat(nodes.lastHeldPerNode).hasSize(2);
      assertThat(nodes.lastHeldPerNode[0]).isBetween(800L, 1200L);
      // live output, admin port
      assertThat(nodes.progress).anyMatch(l -> l.matches("\\[ *\\d+s\\] held \\d+/2000 os \\d+ opening \\d+ waiting \\d+"
          + " churned \\d+ \\(0\\.\\d\\d/10s\\) msgs/s \\d+ p50 .*ms p99 .*ms errors 0"));
      assertThat(metrics.get()).contains("holdfast_sim_held{").contains("holdfast_sim_opened_total{")
          .contains("holdfast_sim_echo_errors_total{").contains("kind=\"lost\"")
          .contains("holdfast_sim_errors_total{").contains("class=\"handshake_status_503\"")
          .contains("holdfast_sim_latency_seconds{").contains("quantile=\"0.99\"");
      assertThat(status.get().getJsonObject("population").getLong("share")).isEqualTo(2000);
    }
  }
}
