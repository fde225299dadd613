package dev.holdfast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.simulator.config.ThresholdOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoReportTest {

  private static final JsonObject SETTINGS = new JsonObject().put("cluster", "demo-test").put("nodes", 2)
      .put("simulators", 2).put("connections", 4000).put("churnFraction", 0.2).put("churnPeriod", "10s")
      .put("interval", "5s").put("duration", "30s");

  /** A simulator's report as {@code simulate} writes it (the fields the demo combines). */
  private static JsonObject simReport(String id, long heldAtEnd, double achieved, double p99, boolean ok) {
    return simReport(id, heldAtEnd, achieved, p99, ok, 3998);
  }

  /** ... with the echo nodes' total this simulator read at the fleet's settled instant (-1: not comparable). */
  private static JsonObject simReport(String id, long heldAtEnd, double achieved, double p99, boolean ok, long nodesHeld) {
    JsonObject counts = nodesHeld < 0
        ? new JsonObject().put("cluster", -1).put("clusterCompared", "not comparable: sim-9 holds until later")
            .put("clusterComparable", false)
        : new JsonObject().put("cluster", heldAtEnd).put("clusterCompared", "the echo nodes' total ...")
            .put("clusterComparable", true).put("fleet", new JsonObject().put("nodesHeld", nodesHeld));
    return new JsonObject()
        .put("counts", counts)
        .put("run", new JsonObject().put("nodeId", id))
        .put("population", new JsonObject().put("share", 2000).put("heldAtEnd", heldAtEnd).put("minHeldAfterRamp", 1980))
        .put("ramp", new JsonObject().put("handshakesStarted", 3000))
        .put("churn", new JsonObject().put("achievedFraction", achieved).put("closes", 1000).put("lostConnections", 0)
            .put("windowCloses", 800).put("windowSeconds", 20.0))
        .put("messages", new JsonObject().put("sent", 10_000).put("echoed", 10_000).put("lost", 0))
        .put("errors", new JsonObject().put("connectRefused", 0).put("connectionLost", 2))
        .put("latencyMsAfterRamp", new JsonObject().put("count", 8000).put("p50", 1.5).put("p99", p99).put("max", p99 * 2))
        .put("verdict", new JsonObject().put("ok", ok).put("echoErrors", 0).put("countsAgree", nodesHeld >= 0)
            .put("thresholdsPassed", true));
  }

  private static List<DemoSample> timeline() {
    List<DemoSample> out = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      long held = i < 5 ? i * 900 : 3990 + i % 3;
      out.add(new DemoSample(i, i < 19 ? "hold" : "settle", new long[] {held / 2, held - held / 2},
          new long[] {held / 2, held - held / 2}, 4000, held, held, 100, 80, 0.2, i < 5 ? Double.NaN : 0.2, 800,
          1.2, i * 1.0, 3.0, i / 10, i < 10 ? Map.of() : Map.of("connectionLost", (long) i / 10)));
    }
    return out;
  }

  private static DemoReport report(List<JsonObject> sims, List<JsonObject> deaths, String endedEarly) {
    return DemoReport.of(new DemoReport.Inputs(SETTINGS, List.of(), timeline(), sims, List.of(), Map.of(), deaths,
        endedEarly, 0.05, new ThresholdOptions()));
  }

  @Test
  void aCleanRunCombinesTheSimulatorsAndSaysTheSameInEveryForm() {
    DemoReport r = report(List.of(simReport("sim-1", 2000, 0.21, 8.0, true), simReport("sim-2", 1998, 0.19, 12.0, true)),
        List.of(), null);
    JsonObject j = r.toJson();
    assertThat(r.ok()).isTrue();
    assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(3998);
    assertThat(j.getJsonObject("population").getLong("minHeldAfterRamp")).isEqualTo(3990);
    assertThat(j.getJsonObject("churn").getDouble("achievedFraction")).isEqualTo(0.2);
    assertThat(j.getJsonObject("latencyMsAfterRamp").getDouble("p99")).isEqualTo(12.0); // the worst simulator's
    assertThat(j.getJsonObject("messages").getLong("sent")).isEqualTo(20_000);
    assertThat(j.getJsonObject("errors").getLong("connectionLost")).isEqualTo(4);
    assertThat(j.getJsonArray("thresholds")).hasSize(5);
    String text = r.toText();
    assertThat(text).contains("target 4000, held at end 3998").contains("verdict     OK").contains("connectionLost 4");
    String html = r.toHtml();
    assertThat(html).contains("target 4000, held at end 3998").contains("verdict     OK").contains("data-plots=\"7\"")
        .contains("$.thresholds.echoP99AfterRamp");
  }

  @Test
  void aDeathAFailedSimulatorOrAnEarlyEndFailsTheVerdictAndSaysWhy() {
    JsonObject death = new JsonObject().put("name", "node-2").put("role", "node").put("pid", 4242).put("exitCode", 137)
        .put("seconds", 12.0).put("lastLogLines", new JsonArray().add("holdfast node node-2: ws://127.0.0.1:1/ws"));
    DemoReport r = report(List.of(simReport("sim-1", 2000, 0.2, 8.0, true), simReport("sim-2", 1200, 0.2, 8.0, false)),
        List.of(death), "a child died");
    assertThat(r.ok()).isFalse();
    JsonArray reasons = r.toJson().getJsonObject("verdict").getJsonArray("reasons");
    assertThat(reasons.getList()).contains("node-2 died (exit 137)", "ended early: a child died", "sim-2's verdict failed");
    assertThat(r.toText()).contains("DIED        node-2 (pid 4242, exit 137) at 12s")
        .contains("| holdfast node node-2").contains("verdict     FAILED: node-2 died");
  }

  @Test
  void theFleetsCountsAreOneComparisonAndANotComparableOneIsNoAgreement() {
    DemoReport clean = report(List.of(simReport("sim-1", 2000, 0.2, 8.0, true), simReport("sim-2", 1998, 0.2, 8.0, true)),
        List.of(), null);
    assertThat(clean.toJson().getJsonObject("counts").getLong("nodesHeld")).isEqualTo(3998);
    assertThat(clean.toJson().getJsonObject("counts").getBoolean("agree")).isTrue();
    assertThat(clean.toText()).contains("counts      echo nodes 3998, simulators 3998 at the fleet's settled instant: agree");

    // one more connection on the nodes than the simulators hold (an outside client): a mismatch, whatever each says
    DemoReport extra = report(List.of(simReport("sim-1", 2000, 0.2, 8.0, true, 3999),
        simReport("sim-2", 1998, 0.2, 8.0, true, 3999)), List.of(), null);
    assertThat(extra.ok()).isFalse();
    assertThat(extra.toText()).contains("echo nodes 3999, simulators 3998").contains("DO NOT AGREE");

    DemoReport apart = report(List.of(simReport("sim-1", 2000, 0.2, 8.0, false, -1),
        simReport("sim-2", 1998, 0.2, 8.0, true)), List.of(), null);
    assertThat(apart.ok()).isFalse();
    assertThat(apart.toJson().getJsonObject("counts").getBoolean("agree")).isFalse();
    assertThat(apart.toText()).contains("sim-1: not comparable: sim-9 holds until later").contains("NOT COMPARABLE");
  }

  @Test
  void aThresholdFailureFailsTheVerdict() {
    DemoReport r = report(List.of(simReport("sim-1", 2000, 0.2, 2500.0, true), simReport("sim-2", 2000, 0.2, 8.0, true)),
        List.of(), null);
    assertThat(r.ok()).isFalse();
    assertThat(r.toText()).contains("echoP99AfterRamp   FAIL").contains("a threshold failed");
  }

  @Test
  void theLiveViewShowsEveryNodeTheTotalsChurnLatencyAndErrors() {
    DemoSample s = timeline().get(14);
    LiveView v = new LiveView(System.out, true, List.of("node-1", "node-2"), ChurnRate.parse("0.2/10s"), 30);
    List<String> block = v.block(s);
    assertThat(block.get(0)).contains("15s of 30s").contains("target 4,000").contains("held 3,990");
    assertThat(block.get(1)).contains("node-1").contains("held    1,995").contains("kernel 1,995");
    assertThat(block.get(3)).contains("cluster").contains("held    3,990");
    assertThat(block.get(4)).contains("configured 0.200/10s").contains("achieved 0.200");
    assertThat(block.get(5)).contains("800/s").contains("p99 15.0ms").contains("handshake 3.00ms");
    assertThat(block.get(6)).contains("connectionLost 1");
    assertThat(v.line(s)).startsWith("[ 15s] hold held 3990/4000 nodes 1995+1995=3990 kernel 3990");
  }
}
