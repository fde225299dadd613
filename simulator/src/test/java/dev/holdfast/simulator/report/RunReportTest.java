package dev.holdfast.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.holdfast.simulator.config.ReportOptions;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.LedgerFixture;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

  private final SimulatorConfig config = SimulatorConfig.fromJson(new JsonObject(
      "{\"population\": 2000, \"churn\": {\"fraction\": 0.2, \"period\": \"10s\"}, \"duration\": \"30s\","
          + " \"progressInterval\": \"1s\"}"));

  private RunFacts facts(LedgerTotals totals, List<TimelineSample> timeline, long heldAtEnd, long os, long cluster,
      double stormAt) {
    return facts(totals, timeline, stormAt, new RunFacts.End(2000, heldAtEnd, os, cluster));
  }

  private RunFacts facts(LedgerTotals totals, List<TimelineSample> timeline, double stormAt, RunFacts.End end) {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    for (int i = 1; i <= 1000; i++) {
      latency.recordValue(i * 10L); // 10 µs .. 10 ms
    }
    return new RunFacts(config, new RunFacts.Node("sim-1", List.of("sim-1"), 2, "native", 0L, 20_000, null),
        new RunFacts.Phases(30.0, 0.5, true, 1.0), new RunFacts.Ramp(2.0, 1.8, 2000, 1080, 27.0, stormAt),
        new RunFacts.Observed(totals, latency, latency, new Histogram(3_600_000_000L, 2), timeline),
        end);
  }

  private static List<TimelineSample> steady(long... held) {
    List<TimelineSample> out = new ArrayList<>();
    for (int i = 0; i < held.length; i++) {
      out.add(new TimelineSample(i + 1, held[i], 2000, held[i], held[i], 0, 2000 - held[i], 40, 0, 100, 400, 400,
          LatencySummary.EMPTY, 0, 0));
    }
    return out;
  }

  @Test
  void theJsonHasEveryContractField() {
    LedgerTotals totals = LedgerTotals.of(List.of(new LedgerFixture().count(Count.SENT, 12_000)
        .count(Count.ECHOED, 12_000).closed(CloseCause.CHURN, 1200).errorStatus(503, 3).ledger()));
    JsonObject j = RunReport.from(facts(totals, steady(1500, 1990, 1985, 1992), 2000, 2000, 2000, Double.NaN)).toJson();
    for (String path : List.of("population.target", "population.heldAtEnd", "churn.configuredFraction",
        "churn.achievedFraction", "messages.sent", "messages.echoed", "messages.lost", "messages.duplicated",
        "messages.reordered", "messages.mismatched", "latencyMs.p50", "latencyMs.p99", "latencyMs.max", "counts.simulator",
        "counts.os", "counts.cluster")) {
      String[] p = path.split("\\.");
      assertThat(j.getJsonObject(p[0]).containsKey(p[1])).as(path).isTrue();
    }
    assertThat(j.getJsonObject("errors").getLong("handshakeStatus503")).isEqualTo(3);
    assertThat(j.getJsonObject("errors").getLong("connectRefused")).isZero();
    assertThat(j.getJsonObject("messages").getLong("sent")).isEqualTo(12_000);
    assertThat(j.getJsonObject("latencyMs").getDouble("p50")).isCloseTo(5.0, within(0.01));
    assertThat(j.getJsonObject("latencyMs").getDouble("max")).isCloseTo(10.0, within(0.01));
    assertThat(j.getJsonObject("config").getLong("population")).isEqualTo(2000);
    assertThat(j.getJsonArray("timeline")).hasSize(4);
    assertThat(j.getJsonObject("ramp").getLong("handshakesPerSecond")).isEqualTo(1111); // 2000 in 1.8 s
    assertThat(j.getJsonObject("ramp").getLong("peakHandshakesPerSecond")).isEqualTo(100);
  }

  @Test
  void aFleetsCountSaysWhatItComparedAndANotComparableOneIsNoAgreement() {
    LedgerTotals totals = LedgerTotals.of(List.of());
    RunFacts.End fleet = new RunFacts.End(2000, 2000, 2000, 2000, "the echo nodes' total 6000 less ...", null,
        new RunFacts.Fleet(6000, 3, 4000, 2));
    RunReport agreed = RunReport.from(facts(totals, steady(1990), Double.NaN, fleet));
    JsonObject counts = agreed.toJson().getJsonObject("counts");
    assertThat(counts.getBoolean("agree")).isTrue();
    assertThat(counts.getBoolean("clusterComparable")).isTrue();
    assertThat(counts.getJsonObject("fleet").getLong("nodesHeld")).isEqualTo(6000);
    assertThat(counts.getJsonObject("fleet").getLong("simulatorsHeld")).isEqualTo(6000);
    assertThat(counts.getJsonObject("fleet").getInteger("simulators")).isEqualTo(3);
    assertThat(agreed.toText()).contains("cluster 2000: agree").contains("cluster     the echo nodes' total 6000");

    RunFacts.End apart = new RunFacts.End(2000, 2000, 2000, -1, "not comparable: sim-3 holds until later",
        "sim-3 holds until later", null);
    RunReport notComparable = RunReport.from(facts(totals, steady(1990), Double.NaN, apart));
    assertThat(notComparable.toJson().getJsonObject("counts").getBoolean("agree")).isFalse();
    assertThat(notComparable.toJson().getJsonObject("verdict").getBoolean("ok")).isFalse();
    assertThat(notComparable.toText()).contains("cluster unknown: NOT COMPARABLE").contains("counts not comparable");

    // no source at all (standalone, no status URLs) stays what it was: unknown, not a failure
    RunReport unknown = RunReport.from(facts(totals, steady(1990), 2000, 2000, -1, Double.NaN));
    assertThat(unknown.toJson().getJsonObject("counts").getBoolean("agree")).isTrue();
  }

  @Test
  void achievedChurnIsClosesPerShareAndPeriodOverTheWindowAfterTheRamp() {
    LedgerTotals totals = LedgerTotals.of(List.of());
    JsonObject j = RunReport.from(facts(totals, steady(1990), 2000, 2000, 2000, Double.NaN)).toJson();
    // 1080 closes of 2000 in 27 s = 2.7 periods of 10 s: 0.2 per period
    assertThat(j.getJsonObject("churn").getDouble("achievedFraction")).isCloseTo(0.2, within(1e-9));
    assertThat(j.getJsonObject("churn").getDouble("configuredFraction")).isEqualTo(0.2);
  }

  @Test
  void populationIsHeldWhenEverySampleAfterTheRampIsWithinTolerance() {
    LedgerTotals totals = LedgerTotals.of(List.of());
    JsonObject held = RunReport.from(facts(totals, steady(500, 1990, 1950, 1999), 2000, 2000, 2000, Double.NaN)).toJson();
    assertThat(held.getJsonObject("population").getBoolean("withinTolerance")).isTrue();
    assertThat(held.getJsonObject("population").getLong("minHeldAfterRamp")).isEqualTo(1950);
    JsonObject dipped = RunReport.from(facts(totals, steady(500, 1990, 1800, 1999), 2000, 2000, 2000, Double.NaN)).toJson();
    assertThat(dipped.getJsonObject("population").getBoolean("withinTolerance")).isFalse();
    assertThat(dipped.getJsonObject("verdict").getBoolean("ok")).isFalse();
  }

  @Test
  void aStormsDipIsExpectedUntilThePopulationIsBack() {
    LedgerTotals totals = LedgerTotals.of(List.of());
    JsonObject j = RunReport.from(facts(totals, steady(500, 1990, 1000, 1500, 1995, 1990), 2000, 2000, 2000, 2.5))
        .toJson();
    assertThat(j.getJsonObject("population").getBoolean("withinTolerance")).isTrue();
    assertThat(j.getJsonObject("population").getLong("samplesAfterRamp")).isEqualTo(3);
  }

  @Test
  void driftBetweenTheThreeCountsIsReported() {
    LedgerTotals totals = LedgerTotals.of(List.of());
    JsonObject j = RunReport.from(facts(totals, steady(1990), 2000, 1998, 2001, Double.NaN)).toJson();
    assertThat(j.getJsonObject("counts").getLong("driftOs")).isEqualTo(-2);
    assertThat(j.getJsonObject("counts").getLong("driftCluster")).isEqualTo(1);
    assertThat(j.getJsonObject("counts").getBoolean("agree")).isFalse();
    JsonObject unknown = RunReport.from(facts(totals, steady(1990), 2000, -1, -1, Double.NaN)).toJson();
    assertThat(unknown.getJsonObject("counts").getBoolean("agree")).isTrue();
    assertThat(unknown.getJsonObject("counts").getValue("driftOs")).isNull();
  }

  @Test
  void echoErrorsAreCountedAndFailTheVerdict() {
    LedgerTotals totals = LedgerTotals.of(List.of(new LedgerFixture().count(Count.LOST, 1).count(Count.DUPLICATED, 2)
        .count(Count.REORDERED, 3).count(Count.MISMATCHED, 4).count(Count.LATE, 50).ledger()));
    RunReport r = RunReport.from(facts(totals, steady(1990), 2000, 2000, 2000, Double.NaN));
    assertThat(r.echoErrors()).isEqualTo(10); // late echoes are an observation, not an error
    assertThat(r.toText()).contains("ECHO ERRORS 10").contains("lost 1 duplicated 2 reordered 3 mismatched 4 late 50");
  }

  @Test
  void writesTextJsonAndHtmlWithPlots(@TempDir Path dir) throws Exception {
    LedgerTotals totals = LedgerTotals.of(List.of(new LedgerFixture().count(Count.SENT, 10).ledger()));
    RunReport r = RunReport.from(facts(totals, steady(1500, 1990, 1985, 1992), 2000, 2000, 2000, Double.NaN));
    ReportOptions where = new ReportOptions();
    where.json(dir.resolve("r.json").toString()).text(dir.resolve("r.txt").toString())
        .html(dir.resolve("sub/r.html").toString());
    assertThat(r.write(where)).hasSize(3);
    assertThat(new JsonObject(Files.readString(dir.resolve("r.json"))).getJsonObject("population").getLong("target"))
        .isEqualTo(2000);
    assertThat(Files.readString(dir.resolve("r.txt"))).startsWith("holdfast simulate report");
    String html = Files.readString(dir.resolve("sub/r.html"));
    assertThat(html).contains("uPlot").contains("Held connections").contains("Opens and closes").contains("Thresholds")
        .contains("data-plots=\"5\"").doesNotContain("<script src");
  }

  @Test
  void theProgressLineShowsHeldOsOpeningChurnRateAndLatency() {
    TimelineSample s = new TimelineSample(12.2, 1990, 2000, 1989, 1990, 3, 7, 40, 0, 20, 400, 400,
        new LatencySummary(100, 0.412, 1, 2.1, 3, 4, 0.5), 0, 0);
    assertThat(ProgressLine.format(s, 412, 0.2061, "10s", 0))
        .isEqualTo("[ 12s] held 1990/2000 os 1989 opening 3 waiting 7 churned 412 (0.21/10s) msgs/s 400"
            + " p50 0.41ms p99 2.10ms errors 0");
  }

  @Test
  void aReportNeverCarriesTheTokenKey() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject()
        .put("security", new JsonObject().put("tokenSecret", "k".repeat(40)).put("origin", "https://a.example")));
    JsonObject config = RunReport.withoutSecrets(c.toJson());
    assertThat(config.getJsonObject("security").getString("tokenSecret")).isEqualTo("<redacted>");
    assertThat(config.getJsonObject("security").getString("origin")).isEqualTo("https://a.example");
    assertThat(config.encode()).doesNotContain("k".repeat(40));
  }

}
