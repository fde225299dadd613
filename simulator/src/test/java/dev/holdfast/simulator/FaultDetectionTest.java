package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.simulator.FaultyEchoServer.Fault;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.target.ServerCount;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server that drops, duplicates, delays, corrupts or stalls echoes is caught in the report. Each
 * of 20 connections sends every 100 ms for 3 s without churn, and the fault hits message 5 of
 * every connection (or, for the stall, every echo for 2 s).
 */
class FaultDetectionTest {

  private static final int CONNECTIONS = 20;

  private static JsonObject run(Fault fault, long delayMillis, long stallAfterMillis) throws Exception {
    try (FaultyEchoServer server = new FaultyEchoServer(fault, delayMillis, stallAfterMillis);
        RealNodes nodes = new RealNodes()) {
      SimulatorConfig c = RealNodes.config(List.of(server.start()), CONNECTIONS, Duration.ofSeconds(3));
      c.churn().fraction(0);
      c.messages().interval(Duration.ofMillis(100)).lateAfter(Duration.ofMillis(500)).lostAfter(Duration.ofSeconds(1));
      c.settleTimeout(Duration.ofSeconds(10));
      RunReport report = nodes.simulate(c, ServerCount.UNKNOWN, 60);
      return report.toJson();
    }
  }

  @Test
  void droppedEchoesAreLost() throws Exception {
    JsonObject m = run(Fault.DROP, 0, 0).getJsonObject("messages");
    assertThat(m.getLong("lost")).isEqualTo(CONNECTIONS);
    assertThat(m.getLong("duplicated") + m.getLong("reordered") + m.getLong("mismatched")).isZero();
    assertThat(m.getLong("echoed")).isEqualTo(m.getLong("sent") - CONNECTIONS);
  }

  @Test
  void duplicatedEchoesAreCaught() throws Exception {
    JsonObject r = run(Fault.DUPLICATE, 0, 0);
    JsonObject m = r.getJsonObject("messages");
    assertThat(m.getLong("duplicated")).isEqualTo(CONNECTIONS);
    assertThat(m.getLong("lost") + m.getLong("reordered") + m.getLong("mismatched")).isZero();
    assertThat(r.getJsonObject("verdict").getLong("echoErrors")).isEqualTo(CONNECTIONS);
  }

  @Test
  void delayedEchoesAreReorderedAndLate() throws Exception {
    JsonObject r = run(Fault.DELAY, 700, 0);
    JsonObject m = r.getJsonObject("messages");
    assertThat(m.getLong("reordered")).isEqualTo(CONNECTIONS);
    assertThat(m.getLong("late")).isGreaterThanOrEqualTo(CONNECTIONS);
    assertThat(m.getLong("lost") + m.getLong("duplicated") + m.getLong("mismatched")).isZero();
    assertThat(r.getJsonObject("latencyMs").getDouble("max")).isGreaterThanOrEqualTo(700);
  }

  @Test
  void corruptedEchoesAreMismatched() throws Exception {
    JsonObject m = run(Fault.CORRUPT, 0, 0).getJsonObject("messages");
    assertThat(m.getLong("mismatched")).isEqualTo(CONNECTIONS);
    assertThat(m.getLong("lost")).isEqualTo(CONNECTIONS); // the message it should have been never came back
  }

  @Test
  void aServerStallingTwoSecondsShowsInP99() throws Exception {
    JsonObject r = run(Fault.STALL, 2000, 500);
    JsonObject m = r.getJsonObject("messages");
    assertThat(m.getLong("lost") + m.getLong("duplicated") + m.getLong("reordered") + m.getLong("mismatched")).isZero();
    assertThat(m.getLong("late")).isGreaterThan(0);
    // about a third of all messages were sent during the stall: p99 is close to its full length
    assertThat(r.getJsonObject("latencyMs").getDouble("p99")).isGreaterThanOrEqualTo(1500);
    assertThat(r.getJsonObject("latencyMs").getDouble("max")).isGreaterThanOrEqualTo(1800);
  }
}
