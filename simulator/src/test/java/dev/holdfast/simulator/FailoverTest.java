package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.node.EchoNode;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.report.RunReport;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node that refuses (503) or goes away makes its sockets reconnect elsewhere, with backoff. */
class FailoverTest {

  @Test
  void aFullNodesRefusalsSendConnectionsToTheOther() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode full = nodes.startNode(c -> c.maxConnections(100));
      EchoNode roomy = nodes.startNode(c -> { });
      SimulatorConfig c = RealNodes.config(List.of(full.wsUrl(), roomy.wsUrl()), 400, Duration.ofSeconds(4));
      c.churn().fraction(0);
      RunReport report = nodes.simulate(c, 60);
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("errors").getLong("handshakeStatus503")).isGreaterThan(0);
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(400);
      assertThat(nodes.lastHeldPerNode).containsExactly(100L, 300L);
      assertThat(j.getJsonObject("counts").getBoolean("agree")).isTrue();
      assertThat(report.echoErrors()).isZero();
    }
  }

  @Test
  void aNodeGoingAwayHandsItsConnectionsToTheOther() throws Exception {
    try (RealNodes nodes = new RealNodes()) {
      EchoNode leaving = nodes.startNode(c -> c.drain().window(Duration.ofSeconds(1))); // drained within the run
      EchoNode staying = nodes.startNode(c -> { });
      SimulatorConfig c = RealNodes.config(List.of(leaving.wsUrl(), staying.wsUrl()), 400, Duration.ofSeconds(6));
      c.churn().fraction(0);
      c.messages().interval(Duration.ofMillis(500));
      RunReport report = nodes.simulate(c, 60, sim -> {
        try {
          nodes.await(() -> sim.held() == 400 && leaving.held() > 100, Duration.ofSeconds(20), "both nodes in use");
          leaving.stop().await(20, TimeUnit.SECONDS); // drains: closes every connection with 1001
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("errors").getLong("closeCode1001")).isGreaterThan(100);
      assertThat(j.getJsonObject("churn").getLong("serverCloses")).isGreaterThan(100);
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(400);
      assertThat(nodes.lastHeldPerNode).containsExactly(0L, 400L);
      assertThat(j.getJsonObject("counts").getLong("os")).isEqualTo(400);
      // the drain's close frames come after every echo the node sent: nothing is lost or abandoned
      assertThat(report.echoErrors()).isZero();
    }
  }

  @Test
  void nothingListeningIsRefusedBackedOffAndClassified() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = probe.getLocalPort();
    }
    try (RealNodes nodes = new RealNodes()) {
      SimulatorConfig c = RealNodes.config(List.of("ws://127.0.0.1:" + closedPort + "/ws"), 20, Duration.ofSeconds(2))
          .settleTimeout(Duration.ofSeconds(1));
      RunReport report = nodes.simulate(c, dev.holdfast.simulator.target.ServerCount.UNKNOWN, 60);
      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("errors").getLong("connectRefused")).isGreaterThan(0);
      assertThat(j.getJsonObject("ramp").getLong("noTargetAvailable")).isGreaterThan(0); // the target backed off
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isZero();
      assertThat(j.getJsonObject("population").getBoolean("withinTolerance")).isFalse();
      assertThat(j.getJsonObject("run").getBoolean("settled")).isFalse();
      assertThat(j.getJsonObject("counts").getLong("os")).isZero();
    }
  }
}
