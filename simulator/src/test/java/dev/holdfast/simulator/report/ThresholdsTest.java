package dev.holdfast.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.config.ThresholdOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

  /** A report of a clean run: 1990 of 2000 held at worst, churn 0.21 of 0.2, p99 8 ms, no losses. */
  private static JsonObject report() {
    return new JsonObject()
        .put("population", new JsonObject().put("share", 2000).put("minHeldAfterRamp", 1990))
        .put("churn", new JsonObject().put("configuredFraction", 0.2).put("achievedFraction", 0.21)
            .put("period", "10s").put("windowSeconds", 20.0)
            .put("lostConnections", 0))
        .put("latencyMsAfterRamp", new JsonObject().put("count", 5000).put("p99", 8.0))
        .put("ramp", new JsonObject().put("handshakesStarted", 3000))
        .put("errors", new JsonObject().put("connectRefused", 0).put("handshakeStatus503", 3).put("connectionLost", 40))
        .put("messages", new JsonObject().put("sent", 6000).put("lost", 0))
        .put("verdict", new JsonObject().put("ok", true));
  }

  private static Map<String, Thresholds.Result> byName(JsonObject report, ThresholdOptions t) {
    return Thresholds.evaluate(report, t).stream().collect(Collectors.toMap(Thresholds.Result::name, r -> r));
  }

  @Test
  void aCleanRunPassesEveryDefaultThreshold() {
    Map<String, Thresholds.Result> r = byName(report(), new ThresholdOptions());
    assertThat(r.keySet()).containsExactlyInAnyOrder("heldFraction", "churnRatio", "echoP99AfterRamp",
        "handshakeErrorRate", "unexplainedLosses");
    assertThat(r.values()).allMatch(Thresholds.Result::pass);
    assertThat(r.get("heldFraction").measured()).startsWith("0.995 (1990/2000)");
    assertThat(r.get("churnRatio").measured()).startsWith("1.050");
    // 503s count as failed handshakes, a connection lost after it opened does not
    assertThat(r.get("handshakeErrorRate").measured()).isEqualTo("0.0010 (3/3000)");
  }

  @Test
  void eachThresholdFailsOnItsOwnMeasure() {
    JsonObject bad = report();
    bad.getJsonObject("population").put("minHeldAfterRamp", 1800);
    bad.getJsonObject("churn").put("achievedFraction", 0.1).put("lostConnections", 2);
    bad.getJsonObject("latencyMsAfterRamp").put("p99", 2500.0);
    bad.getJsonObject("errors").put("connectTimeout", 100);
    bad.getJsonObject("messages").put("lost", 1);
    Map<String, Thresholds.Result> r = byName(bad, new ThresholdOptions());
    assertThat(r.values()).noneMatch(Thresholds.Result::pass);
    assertThat(r.get("unexplainedLosses").measured()).startsWith("3 ");
  }

  @Test
  void boundsAreInclusiveAndConfigurable() {
    ThresholdOptions t = new ThresholdOptions().heldFraction(0.995).churnRatioMin(1.05).churnRatioMax(1.05)
        .echoP99AfterRamp(Duration.ofMillis(8)).handshakeErrorRate(0.001).unexplainedLosses(0);
    assertThat(Thresholds.evaluate(report(), t)).allMatch(Thresholds.Result::pass);
    t.echoP99AfterRamp(Duration.ofMillis(7));
    assertThat(byName(report(), t).get("echoP99AfterRamp").pass()).isFalse();
  }

  @Test
  void thresholdsThatDoNotApplyPassAndSaySo() {
    JsonObject r = report();
    r.getJsonObject("churn").put("configuredFraction", 0.0).putNull("achievedFraction");
    r.put("latencyMsAfterRamp", new JsonObject().put("count", 0));
    r.getJsonObject("messages").put("sent", 0);
    Map<String, Thresholds.Result> m = byName(r, new ThresholdOptions());
    assertThat(m.get("churnRatio").pass()).isTrue();
    assertThat(m.get("churnRatio").measured()).startsWith("n/a");
    assertThat(m.get("echoP99AfterRamp").pass()).isTrue();
  }

  @Test
  void theChurnRatioIsJudgedOnlyOverEnoughExpectedCloses() {
    JsonObject r = report();
    r.getJsonObject("churn").put("achievedFraction", 0.1).put("windowSeconds", 1.0); // 40 closes expected
    assertThat(byName(r, new ThresholdOptions()).get("churnRatio").pass()).isTrue();
    assertThat(byName(r, new ThresholdOptions()).get("churnRatio").measured()).contains("40 closes expected");
    assertThat(byName(r, new ThresholdOptions().churnMinCloses(40)).get("churnRatio").pass()).isFalse();
  }

  @Test
  void aRampThatNeverEndedFailsHeldAndChurn() {
    JsonObject r = report();
    r.getJsonObject("population").put("minHeldAfterRamp", -1);
    r.getJsonObject("churn").putNull("achievedFraction");
    Map<String, Thresholds.Result> m = byName(r, new ThresholdOptions());
    assertThat(m.get("heldFraction").pass()).isFalse();
    assertThat(m.get("churnRatio").pass()).isFalse();
  }

  @Test
  void applyToFoldsTheResultsIntoTheVerdictAndTheText() {
    JsonObject r = report();
    r.getJsonObject("latencyMsAfterRamp").put("p99", 2500.0);
    Thresholds.applyTo(r, new ThresholdOptions());
    assertThat(r.getJsonObject("verdict").getBoolean("thresholdsPassed")).isFalse();
    assertThat(r.getJsonObject("verdict").getBoolean("ok")).isFalse();
    assertThat(Thresholds.of(r)).hasSize(5);
    assertThat(Thresholds.toText(r)).contains("echoP99AfterRamp   FAIL <= 2000ms, measured 2500ms");
  }

  @Test
  void theConfigReadsThresholdsAndNamesTheJsonPathOfAMistake() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject(
        "{\"thresholds\": {\"heldFraction\": 0.9, \"echoP99AfterRamp\": \"250ms\", \"churnRatioMin\": 0.5}}"));
    assertThat(c.thresholds().heldFraction()).isEqualTo(0.9);
    assertThat(c.thresholds().echoP99AfterRamp()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.thresholds().churnRatioMax()).isEqualTo(ThresholdOptions.DEFAULT_CHURN_RATIO_MAX);
    assertThat(c.toJson().getJsonObject("thresholds").getString("echoP99AfterRamp")).isEqualTo("250ms");
    for (Map.Entry<String, String> bad : Map.of(
        "{\"heldFraction\": 1.5}", "$.thresholds.heldFraction: 1.5 is not allowed",
        "{\"churnRatioMin\": 2, \"churnRatioMax\": 1}", "$.thresholds.churnRatioMax: 1.0 is below churnRatioMin",
        "{\"echoP99AfterRamp\": \"fast\"}", "$.thresholds.echoP99AfterRamp: \"fast\" is not allowed",
        "{\"p99\": \"1s\"}", "$.thresholds.p99: unknown field").entrySet()) {
      assertThatThrownBy(() -> ThresholdOptions.read(ConfigReader.of(new JsonObject().put("thresholds",
          new JsonObject(bad.getKey()))).object("thresholds")))
          .isInstanceOf(ConfigException.class).hasMessageStartingWith(bad.getValue());
    }
  }
}
