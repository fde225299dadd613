package dev.holdfast.simulator.report;

import dev.holdfast.config.Durations;
import dev.holdfast.simulator.config.ReportOptions;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorCounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The final report of a simulator run. The JSON form is the contract (see the README for its
 * fields); the text and HTML forms are rendered from it.
 */
public final class RunReport {

  private final JsonObject json;

  /** A report over its JSON form. */
  public RunReport(JsonObject json) {
    this.json = json;
  }

  /** Derives the report from what the run observed. */
  public static RunReport from(RunFacts f) {
    SimulatorConfig c = f.config();
    LedgerTotals t = f.observed().totals();
    double tolerance = c.tolerance();
    long share = f.end().share();

    // population: every sample after the ramp, except while recovering from a storm, within tolerance
    List<TimelineSample> after = new ArrayList<>();
    boolean stormSeen = false;
    boolean recovering = false;
    for (TimelineSample s : f.observed().timeline()) {
      if (Double.isNaN(f.ramp().seconds()) || s.seconds() < f.ramp().seconds()) {
        continue;
      }
      if (!stormSeen && !Double.isNaN(f.ramp().stormAtSeconds()) && s.seconds() >= f.ramp().stormAtSeconds()) {
        stormSeen = true;
        recovering = true; // a storm's dip is intended: skip samples until the population is back
      }
      if (recovering) {
        if (!withinTolerance(s.held(), s.target(), tolerance)) {
          continue;
        }
        recovering = false;
      }
      after.add(s);
    }
    long min = after.stream().mapToLong(TimelineSample::held).min().orElse(-1);
    long max = after.stream().mapToLong(TimelineSample::held).max().orElse(-1);
    long outside = after.stream().filter(s -> !withinTolerance(s.held(), s.target(), tolerance)).count();
    boolean held = !Double.isNaN(f.ramp().seconds()) && outside == 0 && withinTolerance(f.end().held(), share, tolerance);

    double periodSeconds = c.churn().period().toNanos() / 1e9;
    Double achieved = Double.isNaN(f.ramp().churnWindowSeconds()) || f.ramp().churnWindowSeconds() <= 0 || share == 0 ? null
        : round4(f.ramp().churnWindowCloses() / (double) share / (f.ramp().churnWindowSeconds() / periodSeconds));

    LatencySummary latency = LatencySummary.of(f.observed().latencyMicros());
    JsonObject errors = new JsonObject();
    for (ErrorClass e : ErrorClass.values()) {
      errors.put(e.key(), t.errors(ErrorCounts.of(e)));
    }
    for (int i = ErrorClass.values().length; i < ErrorCounts.SIZE; i++) {
      if (t.errors(i) > 0) {
        errors.put(ErrorCounts.key(i), t.errors(i));
      }
    }
    boolean osAgrees = f.end().os() < 0 || f.end().os() == f.end().held();
    // unknown (no source) is no disagreement; not comparable (a fleet that never settled together) is no agreement
    boolean clusterAgrees = f.end().notComparable() == null && (f.end().cluster() < 0 || f.end().cluster() == f.end().held());
    long echoErrors = t.echoErrors();
    JsonArray timeline = new JsonArray();
    f.observed().timeline().forEach(s -> timeline.add(s.toJson()));

    JsonObject population = new JsonObject()
        .put("target", c.population())
        .put("share", share)
        .put("heldAtEnd", f.end().held())
        .put("tolerance", tolerance)
        .put("minHeldAfterRamp", min)
        .put("maxHeldAfterRamp", max)
        .put("samplesAfterRamp", after.size())
        .put("samplesOutsideTolerance", outside)
        .put("withinTolerance", held);
    if (f.node().fleetProblem() != null) {
      population.put("fleetTooSmall", f.node().fleetProblem()); // only when it is: a clean report is unchanged
    }
    JsonObject json = new JsonObject()
        .put("run", new JsonObject()
            .put("nodeId", f.node().nodeId())
            .put("members", new JsonArray(new ArrayList<>(f.node().members())))
            .put("instances", f.node().instances())
            .put("transport", f.node().transport())
            .put("startedAt", Instant.ofEpochMilli(f.node().startedAtEpochMillis()).toString())
            .put("holdSeconds", round3(f.phases().holdSeconds()))
            .put("settleSeconds", round3(f.phases().settleSeconds()))
            .put("settled", f.phases().settled())
            .put("closeSeconds", round3(f.phases().closeSeconds()))
            .put("openFileLimit", f.node().openFileLimit())
            .put("schedulerLagMaxMs", round3(t.lagMaxNanos() / 1e6))
            .put("illegalTransitions", t.get(Count.ILLEGAL_TRANSITIONS)))
        .put("config", withoutSecrets(c.toJson()))
        .put("population", population)
        .put("ramp", new JsonObject()
            .put("seconds", Double.isNaN(f.ramp().seconds()) ? null : round3(f.ramp().seconds()))
            .put("fromFirstOpenSeconds", Double.isNaN(f.ramp().fromFirstOpenSeconds()) ? null
                : round3(f.ramp().fromFirstOpenSeconds()))
            .put("handshakesPerSecond", Double.isNaN(f.ramp().fromFirstOpenSeconds()) || f.ramp().fromFirstOpenSeconds() <= 0 ? null
                : Math.round(f.ramp().openedByThen() / f.ramp().fromFirstOpenSeconds()))
            .put("peakHandshakesPerSecond", f.observed().timeline().stream().mapToLong(s -> Math.round(s.openedPerSecond())).max().orElse(0))
            .put("handshakesStarted", t.get(Count.HANDSHAKES))
            .put("opened", t.get(Count.OPENED))
            .put("noTargetAvailable", t.get(Count.NO_TARGET)))
        .put("churn", new JsonObject()
            .put("configuredFraction", c.churn().fraction())
            .put("period", Durations.format(c.churn().period()))
            .put("achievedFraction", achieved)
            .put("windowCloses", f.ramp().churnWindowCloses())
            .put("windowSeconds", Double.isNaN(f.ramp().churnWindowSeconds()) ? null : round3(f.ramp().churnWindowSeconds()))
            .put("closes", t.closedBy(CloseCause.CHURN))
            .put("stormCloses", t.closedBy(CloseCause.STORM))
            .put("rebalanceCloses", t.closedBy(CloseCause.REBALANCE))
            .put("serverCloses", t.closedBy(CloseCause.SERVER))
            .put("lostConnections", t.closedBy(CloseCause.LOST))
            .put("endCloses", t.closedBy(CloseCause.END)))
        .put("messages", new JsonObject()
            .put("sent", t.get(Count.SENT))
            .put("echoed", t.get(Count.ECHOED))
            .put("lost", t.get(Count.LOST))
            .put("duplicated", t.get(Count.DUPLICATED))
            .put("reordered", t.get(Count.REORDERED))
            .put("mismatched", t.get(Count.MISMATCHED))
            .put("late", t.get(Count.LATE))
            .put("abandoned", t.get(Count.ABANDONED))
            .put("perSecond", f.phases().holdSeconds() <= 0 ? 0 : Math.round(t.get(Count.SENT) / f.phases().holdSeconds())))
        .put("latencyMs", latency.toJson().put("measuredFrom", "intended send time"))
        .put("latencyMsAfterRamp", LatencySummary.of(f.observed().latencyAfterRampMicros()).toJson())
        .put("sendLagMs", LatencySummary.of(f.observed().sendLagMicros()).toJson())
        .put("errors", errors)
        .put("counts", counts(f.end(), osAgrees && clusterAgrees))
        .put("verdict", new JsonObject()
            .put("echoErrors", echoErrors)
            .put("populationHeld", held)
            .put("countsAgree", osAgrees && clusterAgrees)
            .put("ok", echoErrors == 0 && held && osAgrees && clusterAgrees))
        .put("timeline", timeline);
    // only after a loss: a clean report is unchanged
    Recovery.of(f.observed().timeline(), tolerance).ifPresent(r -> json.put("recovery", r.toJson()));
    Thresholds.applyTo(json, c.thresholds());
    return new RunReport(json);
  }

  /** The three counts at the end, and what the servers' count compared. */
  private static JsonObject counts(RunFacts.End end, boolean agree) {
    JsonObject counts = new JsonObject()
        .put("simulator", end.held())
        .put("os", end.os())
        .put("cluster", end.cluster())
        .put("driftOs", end.os() < 0 ? null : end.os() - end.held())
        .put("driftCluster", end.cluster() < 0 ? null : end.cluster() - end.held())
        .put("agree", agree);
    if (end.clusterCompared() != null) {
      counts.put("clusterCompared", end.clusterCompared()).put("clusterComparable", end.notComparable() == null);
    }
    if (end.fleet() != null) {
      RunFacts.Fleet fl = end.fleet();
      long simulators = fl.otherSimulatorsHeld() + end.held();
      counts.put("fleet", new JsonObject().put("nodesHeld", fl.nodesHeld()).put("nodes", fl.nodes())
          .put("simulatorsHeld", simulators).put("simulators", fl.otherSimulators() + 1)
          .put("agree", fl.nodesHeld() == simulators));
    }
    return counts;
  }

  static boolean withinTolerance(long held, long target, double tolerance) {
    return Math.abs(held - target) <= tolerance * target + 1e-9;
  }

  private static double round3(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10000.0) / 10000.0;
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** Lost, duplicated, reordered and mismatched messages: the run's echo errors. */
  public long echoErrors() {
    return json.getJsonObject("verdict").getLong("echoErrors");
  }

  /** Whether every threshold of {@code $.thresholds} passed. */
  public boolean thresholdsPassed() {
    return json.getJsonObject("verdict").getBoolean("thresholdsPassed", true);
  }

  /** The report as text, for the terminal. */
  public String toText() {
    JsonObject run = json.getJsonObject("run");
    JsonObject pop = json.getJsonObject("population");
    JsonObject ramp = json.getJsonObject("ramp");
    JsonObject churn = json.getJsonObject("churn");
    JsonObject msg = json.getJsonObject("messages");
    JsonObject lat = json.getJsonObject("latencyMs");
    JsonObject counts = json.getJsonObject("counts");
    JsonObject verdict = json.getJsonObject("verdict");
    StringBuilder b = new StringBuilder();
    line(b, "holdfast simulate report: node %s, %d member(s), %d verticles, %s transport",
        run.getString("nodeId"), run.getJsonArray("members").size(), run.getInteger("instances"), run.getString("transport"));
    line(b, "  run         held %.1fs, settled in %.1fs%s, closed in %.1fs; scheduler lag max %.1fms",
        run.getDouble("holdSeconds"), run.getDouble("settleSeconds"), run.getBoolean("settled") ? "" : " (NOT settled)",
        run.getDouble("closeSeconds"), run.getDouble("schedulerLagMaxMs"));
    line(b, "  population  target %d (this node %d), held at end %d, after ramp min %d max %d, tolerance %.0f%%: %s",
        pop.getLong("target"), pop.getLong("share"), pop.getLong("heldAtEnd"), pop.getLong("minHeldAfterRamp"),
        pop.getLong("maxHeldAfterRamp"), pop.getDouble("tolerance") * 100, pop.getBoolean("withinTolerance") ? "held" : "NOT held");
    if (pop.containsKey("fleetTooSmall")) {
      line(b, "  fleet       TOO SMALL: %s", pop.getString("fleetTooSmall"));
    }
    if (run.getLong("illegalTransitions", 0L) > 0) {
      line(b, "  ILLEGAL     %d connection state transitions refused: a simulator bug, please report it",
          run.getLong("illegalTransitions"));
    }
    line(b, "  ramp        %s, %s handshakes/s (peak %d/s); %d handshakes started, %d opened",
        ramp.getValue("seconds") == null ? "never completed"
            : "done at " + ramp.getDouble("seconds") + "s (" + ramp.getDouble("fromFirstOpenSeconds") + "s from the first open)",
        ramp.getValue("handshakesPerSecond") == null ? "?" : ramp.getLong("handshakesPerSecond").toString(),
        ramp.getLong("peakHandshakesPerSecond"), ramp.getLong("handshakesStarted"), ramp.getLong("opened"));
    line(b, "  churn       configured %.3f per %s, achieved %s (%d closes in %ss after ramp); total churn %d, storm %d,"
            + " rebalance %d, server %d, lost %d",
        churn.getDouble("configuredFraction"), churn.getString("period"),
        churn.getValue("achievedFraction") == null ? "n/a" : String.format(Locale.ROOT, "%.3f", churn.getDouble("achievedFraction")),
        churn.getLong("windowCloses"), churn.getValue("windowSeconds"), churn.getLong("closes"), churn.getLong("stormCloses"),
        churn.getLong("rebalanceCloses"), churn.getLong("serverCloses"), churn.getLong("lostConnections"));
    if (json.containsKey("recovery")) {
      b.append(Recovery.toText(json.getJsonObject("recovery")));
    }
    line(b, "  messages    sent %d echoed %d lost %d duplicated %d reordered %d mismatched %d late %d abandoned %d (%d/s)",
        msg.getLong("sent"), msg.getLong("echoed"), msg.getLong("lost"), msg.getLong("duplicated"), msg.getLong("reordered"),
        msg.getLong("mismatched"), msg.getLong("late"), msg.getLong("abandoned"), msg.getLong("perSecond"));
    line(b, "  latency     p50 %s p90 %s p99 %s p99.9 %s max %s over %d echoes (from intended send time)",
        LatencySummary.format(lat.getDouble("p50")), LatencySummary.format(lat.getDouble("p90")),
        LatencySummary.format(lat.getDouble("p99")), LatencySummary.format(lat.getDouble("p999")),
        LatencySummary.format(lat.getDouble("max")), lat.getLong("count"));
    JsonObject steady = json.getJsonObject("latencyMsAfterRamp");
    line(b, "  after ramp  p50 %s p99 %s p99.9 %s max %s over %d echoes",
        LatencySummary.format(steady.getDouble("p50")), LatencySummary.format(steady.getDouble("p99")),
        LatencySummary.format(steady.getDouble("p999")), LatencySummary.format(steady.getDouble("max")),
        steady.getLong("count"));
    JsonObject lag = json.getJsonObject("sendLagMs");
    line(b, "  send lag    p50 %s p99 %s max %s (how late the simulator itself sent; part of the latency above)",
        LatencySummary.format(lag.getDouble("p50")), LatencySummary.format(lag.getDouble("p99")),
        LatencySummary.format(lag.getDouble("max")));
    StringBuilder errs = new StringBuilder();
    json.getJsonObject("errors").forEach(e -> {
      if (((Number) e.getValue()).longValue() > 0) {
        errs.append(' ').append(e.getKey()).append(' ').append(e.getValue());
      }
    });
    line(b, "  errors     %s", errs.length() == 0 ? " none" : errs.toString());
    line(b, "  counts      simulator %d, os %s, cluster %s: %s", counts.getLong("simulator"), unknown(counts.getLong("os")),
        unknown(counts.getLong("cluster")), counts.getBoolean("agree") ? "agree"
            : Boolean.FALSE.equals(counts.getBoolean("clusterComparable")) ? "NOT COMPARABLE" : "DRIFT");
    if (counts.containsKey("clusterCompared")) {
      line(b, "  cluster     %s", counts.getString("clusterCompared"));
    }
    b.append(Thresholds.toText(json));
    line(b, "  verdict     %s", verdict.getBoolean("ok") ? "OK"
        : (verdict.getLong("echoErrors") > 0 ? "ECHO ERRORS " + verdict.getLong("echoErrors") + "; " : "")
        + (verdict.getBoolean("populationHeld") ? "" : "population not held; ")
        + (verdict.getBoolean("countsAgree") ? ""
            : Boolean.FALSE.equals(counts.getBoolean("clusterComparable")) ? "counts not comparable; " : "counts drift; ")
        + (verdict.getBoolean("thresholdsPassed", true) ? "" : "thresholds failed"));
    return b.toString();
  }

  private static String unknown(long n) {
    return n < 0 ? "unknown" : Long.toString(n);
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /** The report as a self-contained HTML page with plots. */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /** Writes the configured report files (JSON, text, HTML); returns the paths written. */
  public List<Path> write(ReportOptions where) {
    List<Path> written = new ArrayList<>();
    writeIf(where.json(), json.encodePrettily(), written);
    writeIf(where.text(), toText(), written);
    writeIf(where.html(), toHtml(), written);
    return written;
  }

  private static void writeIf(String path, String content, List<Path> written) {
    if (path == null) {
      return;
    }
    Path p = Path.of(path);
    try {
      if (p.toAbsolutePath().getParent() != null) {
        Files.createDirectories(p.toAbsolutePath().getParent());
      }
      Files.writeString(p, content, StandardCharsets.UTF_8);
      written.add(p);
    } catch (IOException e) {
      throw new UncheckedIOException("writing report " + p, e);
    }
  }

  /** The config as run, its secrets replaced: a report is shared and mailed, a signing key is not. */
  static JsonObject withoutSecrets(JsonObject config) {
    JsonObject security = config.getJsonObject("security");
    if (security != null && security.getValue("tokenSecret") != null) {
      security.put("tokenSecret", "<redacted>");
    }
    return config;
  }

}
