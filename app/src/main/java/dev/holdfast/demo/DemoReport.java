package dev.holdfast.demo;

import dev.holdfast.simulator.config.ThresholdOptions;
import dev.holdfast.simulator.report.LatencySummary;
import dev.holdfast.simulator.report.PlotPage;
import dev.holdfast.simulator.report.Thresholds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The demo's report: the fleet's numbers combined from every simulator's own report and the
 * demo's readings of the children, the thresholds evaluated over the fleet, the verdict, and the
 * timeline. The JSON form is the source; the text and the HTML page (uPlot plots) are rendered
 * from it, so all three say the same.
 */
public final class DemoReport {

  private final JsonObject json;

  private DemoReport(JsonObject json) {
    this.json = json;
  }

  /** What a run gathered, for {@link #of}. */
  record Inputs(JsonObject settings, List<Child> children, List<DemoSample> timeline, List<JsonObject> simReports,
      List<String> missingReports, Map<String, JsonObject> lastStatus, List<JsonObject> deaths, String endedEarly,
      double tolerance, ThresholdOptions thresholds) {
  }

  static DemoReport of(Inputs in) {
    long target = in.settings().getLong("connections");
    List<DemoSample> tl = in.timeline();
    double rampAt = Double.NaN;
    for (DemoSample s : tl) {
      if (Double.isNaN(rampAt) && Math.abs(s.simHeld() - target) <= in.tolerance() * target + 1e-9) {
        rampAt = s.seconds();
      }
    }
    long min = -1;
    long max = -1;
    for (DemoSample s : tl) {
      if (!Double.isNaN(rampAt) && s.seconds() >= rampAt && s.phase().equals("hold")) {
        min = min < 0 ? s.simHeld() : Math.min(min, s.simHeld());
        max = Math.max(max, s.simHeld());
      }
    }
    // sums over the simulators' reports
    long heldAtEnd = 0;
    long started = 0;
    long closes = 0;
    long lostConnections = 0;
    double weightedChurn = 0;
    double weightedWindow = 0;
    long windowCloses = 0;
    boolean churnKnown = !in.simReports().isEmpty();
    long echoErrors = 0;
    boolean simsOk = in.missingReports().isEmpty();
    JsonObject messages = new JsonObject();
    JsonObject errors = new JsonObject();
    long steadyCount = 0;
    double steadyP50 = 0;
    double steadyP99 = 0;
    double steadyMax = 0;
    JsonArray sims = new JsonArray();
    List<Long> fleetNodesHeld = new ArrayList<>();
    List<String> notComparable = new ArrayList<>();
    for (JsonObject r : in.simReports()) {
      JsonObject pop = r.getJsonObject("population");
      JsonObject churn = r.getJsonObject("churn");
      JsonObject verdict = r.getJsonObject("verdict");
      heldAtEnd += pop.getLong("heldAtEnd", 0L);
      started += r.getJsonObject("ramp").getLong("handshakesStarted", 0L);
      closes += churn.getLong("closes", 0L);
      lostConnections += churn.getLong("lostConnections", 0L);
      Double achieved = churn.getDouble("achievedFraction");
      if (achieved == null) {
        churnKnown = false;
      } else {
        weightedChurn += achieved * pop.getLong("share", 0L);
      }
      weightedWindow += number(churn, "windowSeconds") * pop.getLong("share", 0L);
      windowCloses += (long) number(churn, "windowCloses");
      r.getJsonObject("messages").forEach(e -> messages.put(e.getKey(),
          messages.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
      r.getJsonObject("errors").forEach(e -> errors.put(e.getKey(),
          errors.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
      JsonObject steady = r.getJsonObject("latencyMsAfterRamp");
      steadyCount += steady.getLong("count", 0L);
      steadyP50 = Math.max(steadyP50, steady.getDouble("p50", 0.0));
      steadyP99 = Math.max(steadyP99, steady.getDouble("p99", 0.0));
      steadyMax = Math.max(steadyMax, steady.getDouble("max", 0.0));
      echoErrors += verdict.getLong("echoErrors", 0L);
      simsOk &= verdict.getBoolean("ok", false);
      JsonObject counts = r.getJsonObject("counts", new JsonObject());
      String simId = r.getJsonObject("run").getString("nodeId");
      if (counts.getJsonObject("fleet") != null) {
        fleetNodesHeld.add(counts.getJsonObject("fleet").getLong("nodesHeld"));
      } else {
        notComparable.add(simId + ": " + counts.getString("clusterCompared", "no fleet count"));
      }
      sims.add(new JsonObject().put("nodeId", simId)
          .put("share", pop.getLong("share")).put("heldAtEnd", pop.getLong("heldAtEnd"))
          .put("minHeldAfterRamp", pop.getLong("minHeldAfterRamp"))
          .put("achievedChurn", achieved).put("echoErrors", verdict.getLong("echoErrors"))
          .put("countsAgree", verdict.getBoolean("countsAgree")).put("cluster", counts.getLong("cluster"))
          .put("clusterCompared", counts.getString("clusterCompared")).put("thresholdsPassed", verdict.getBoolean("thresholdsPassed"))
          .put("ok", verdict.getBoolean("ok")));
    }
    DemoSample lastHold = null;
    for (DemoSample s : tl) {
      if (s.phase().equals("hold")) {
        lastHold = s;
      }
    }
    JsonArray nodes = new JsonArray();
    int nodeIndex = 0;
    for (Child c : in.children()) {
      JsonObject st = in.lastStatus().get(c.name());
      JsonObject row = c.toJson().put("exitCode", c.exitCode());
      if (c.role() == Child.Role.NODE) {
        if (lastHold != null) { // held during the hold; the totals below are the last the node answered
          row.put("held", lastHold.nodeHeld()[nodeIndex]).put("kernel", lastHold.nodeKernel()[nodeIndex]);
        }
        if (st != null) {
          JsonObject conn = st.getJsonObject("connections");
          row.put("opened", conn.getLong("opened")).put("closed", conn.getLong("closed"))
              .put("rejected", conn.getLong("rejected"));
        }
        nodeIndex++;
      }
      nodes.add(row);
    }
    List<Double> probes = new ArrayList<>();
    tl.forEach(s -> {
      if (!Double.isNaN(s.handshakeMs())) {
        probes.add(s.handshakeMs());
      }
    });
    probes.sort(Double::compare);
    JsonArray timeline = new JsonArray();
    tl.forEach(s -> timeline.add(s.toJson()));
    boolean withinTolerance = min >= 0 && Math.abs(min - target) <= in.tolerance() * target + 1e-9
        && Math.abs(max - target) <= in.tolerance() * target + 1e-9;
    JsonArray reasons = new JsonArray();
    in.deaths().forEach(d -> reasons.add(d.getString("name") + " died (exit " + d.getInteger("exitCode") + ")"));
    if (in.endedEarly() != null) {
      reasons.add("ended early: " + in.endedEarly());
    }
    in.missingReports().forEach(n -> reasons.add(n + " wrote no report"));
    in.simReports().forEach(r -> {
      if (!r.getJsonObject("verdict").getBoolean("ok", false)) {
        reasons.add(r.getJsonObject("run").getString("nodeId") + "'s verdict failed");
      }
    });
    if (!withinTolerance) {
      reasons.add("the fleet's population was not held within " + Math.round(in.tolerance() * 100) + "%");
    }
    JsonObject fleet = fleetCounts(heldAtEnd, fleetNodesHeld, notComparable, in.simReports().size());
    if (!fleet.getBoolean("agree") && !in.simReports().isEmpty()) {
      reasons.add("the fleet's counts: echo nodes " + fleet.getValue("nodesHeld") + ", simulators " + heldAtEnd
          + " (" + fleet.getString("compared") + ")");
    }
    JsonObject report = new JsonObject()
        .put("demo", in.settings().copy().put("endedEarly", in.endedEarly()))
        .put("counts", fleet)
        .put("children", nodes)
        .put("deaths", new JsonArray(new ArrayList<>(in.deaths())))
        .put("population", new JsonObject().put("target", target).put("share", target).put("heldAtEnd", heldAtEnd)
            .put("tolerance", in.tolerance()).put("minHeldAfterRamp", min).put("maxHeldAfterRamp", max)
            .put("withinTolerance", withinTolerance))
        .put("ramp", new JsonObject().put("seconds", Double.isNaN(rampAt) ? null : rampAt).put("handshakesStarted", started))
        .put("churn", new JsonObject().put("configuredFraction", in.settings().getDouble("churnFraction"))
            .put("period", in.settings().getString("churnPeriod"))
            .put("achievedFraction", churnKnown && target > 0 ? Math.round(weightedChurn / target * 10000) / 10000.0 : null)
            .put("windowCloses", windowCloses)
            .put("windowSeconds", target > 0 && churnKnown ? Math.round(weightedWindow / target * 1000) / 1000.0 : null)
            .put("closes", closes).put("lostConnections", lostConnections))
        .put("messages", messages)
        .put("latencyMsAfterRamp", new JsonObject().put("count", steadyCount).put("p50", steadyP50).put("p99", steadyP99)
            .put("max", steadyMax).put("of", "the worst simulator's percentile (an upper bound for the fleet)"))
        .put("handshakeProbeMs", new JsonObject().put("count", probes.size())
            .put("p50", probes.isEmpty() ? null : probes.get(probes.size() / 2))
            .put("max", probes.isEmpty() ? null : probes.get(probes.size() - 1)))
        .put("errors", errors)
        .put("simulators", sims)
        .put("verdict", new JsonObject().put("echoErrors", echoErrors).put("populationHeld", withinTolerance)
            .put("childrenOk", in.deaths().isEmpty()).put("simulatorsOk", simsOk).put("countsAgree", fleet.getBoolean("agree"))
            .put("ok", in.deaths().isEmpty() && in.endedEarly() == null && simsOk && withinTolerance && echoErrors == 0
                && fleet.getBoolean("agree")))
        .put("timeline", timeline);
    Thresholds.applyTo(report, in.thresholds());
    if (!report.getJsonObject("verdict").getBoolean("thresholdsPassed")) {
      reasons.add("a threshold failed");
    }
    report.getJsonObject("verdict").put("reasons", reasons);
    return new DemoReport(report);
  }

  /**
   * The fleet-level servers' check: the echo nodes' total at the fleet's settled instant (as every
   * simulator read it there) against the simulators' own counts summed. Every simulator's
   * "cluster" count is that total less the others' settled counts, so this is the one comparison
   * behind them all.
   */
  private static JsonObject fleetCounts(long simulatorsHeld, List<Long> nodesHeld, List<String> notComparable, int reports) {
    JsonObject c = new JsonObject().put("simulatorsHeld", simulatorsHeld);
    if (reports == 0 || !notComparable.isEmpty()) {
      return c.put("nodesHeld", null).put("agree", false)
          .put("compared", reports == 0 ? "no simulator report" : "not comparable: " + String.join("; ", notComparable));
    }
    long min = nodesHeld.stream().mapToLong(Long::longValue).min().orElse(-1);
    long max = nodesHeld.stream().mapToLong(Long::longValue).max().orElse(-1);
    String what = "the echo nodes' total at the fleet's settled instant against the " + reports
        + " simulators' own counts summed";
    if (min != max) {
      return c.put("nodesHeld", null).put("agree", false)
          .put("compared", what + ": the simulators read different totals (" + min + " to " + max + ")");
    }
    return c.put("nodesHeld", min).put("agree", min == simulatorsHeld).put("compared", what);
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** Whether the run was clean: every child lived, every simulator's verdict and every threshold passed. */
  public boolean ok() {
    return json.getJsonObject("verdict").getBoolean("ok");
  }

  /** The report as text. */
  public String toText() {
    JsonObject d = json.getJsonObject("demo");
    JsonObject pop = json.getJsonObject("population");
    JsonObject churn = json.getJsonObject("churn");
    JsonObject msg = json.getJsonObject("messages");
    JsonObject lat = json.getJsonObject("latencyMsAfterRamp");
    JsonObject hs = json.getJsonObject("handshakeProbeMs");
    JsonObject verdict = json.getJsonObject("verdict");
    StringBuilder b = new StringBuilder();
    line(b, "holdfast demo report: %s, %s, cluster %s, %s%s", plural(d.getInteger("nodes"), "node"),
        plural(d.getInteger("simulators"), "simulator"), d.getString("cluster"), d.getString("duration"),
        d.getString("endedEarly") == null ? "" : " (ended early: " + d.getString("endedEarly") + ")");
    line(b, "  population  target %d, held at end %d (simulators' count), after ramp min %d max %d, tolerance %.0f%%: %s",
        pop.getLong("target"), pop.getLong("heldAtEnd"), pop.getLong("minHeldAfterRamp"), pop.getLong("maxHeldAfterRamp"),
        pop.getDouble("tolerance") * 100, pop.getBoolean("withinTolerance") ? "held" : "NOT held");
    Object rampAt = json.getJsonObject("ramp").getValue("seconds");
    line(b, "  ramp        %s; %d handshakes started", rampAt == null ? "never completed"
        : String.format(Locale.ROOT, "population reached at %.0fs", ((Number) rampAt).doubleValue()),
        json.getJsonObject("ramp").getLong("handshakesStarted"));
    StringBuilder nodes = new StringBuilder();
    for (int i = 0; i < json.getJsonArray("children").size(); i++) {
      JsonObject c = json.getJsonArray("children").getJsonObject(i);
      if (c.getString("role").equals("node") && c.containsKey("held")) {
        nodes.append(nodes.length() == 0 ? "" : ", ").append(c.getString("name")).append(' ').append(c.getLong("held"))
            .append(" (kernel ").append(c.getLong("kernel")).append(')');
      }
    }
    line(b, "  nodes       %s  (last reading during the hold)", nodes.length() == 0 ? "no reading" : nodes);
    line(b, "  churn       configured %.3f per %s, achieved %s; %d churn closes, %d connections lost",
        churn.getDouble("configuredFraction"), churn.getString("period"),
        churn.getValue("achievedFraction") == null ? "n/a" : String.format(Locale.ROOT, "%.3f", churn.getDouble("achievedFraction")),
        churn.getLong("closes"), churn.getLong("lostConnections"));
    line(b, "  messages    sent %d echoed %d lost %d duplicated %d reordered %d mismatched %d",
        msg.getLong("sent", 0L), msg.getLong("echoed", 0L), msg.getLong("lost", 0L), msg.getLong("duplicated", 0L),
        msg.getLong("reordered", 0L), msg.getLong("mismatched", 0L));
    line(b, "  latency     after ramp p50 %s p99 %s max %s over %d echoes (worst simulator's; from intended send time)",
        LatencySummary.format(lat.getDouble("p50")), LatencySummary.format(lat.getDouble("p99")),
        LatencySummary.format(lat.getDouble("max")), lat.getLong("count"));
    line(b, "  handshake   demo's probe to the nodes: p50 %s max %s over %d readings (the slowest node's each second)",
        hs.getValue("p50") == null ? "-" : LatencySummary.format(hs.getDouble("p50")),
        hs.getValue("max") == null ? "-" : LatencySummary.format(hs.getDouble("max")), hs.getInteger("count"));
    StringBuilder errs = new StringBuilder();
    new TreeMap<>(json.getJsonObject("errors").getMap()).forEach((k, v) -> {
      if (((Number) v).longValue() > 0) {
        errs.append(' ').append(k).append(' ').append(v);
      }
    });
    line(b, "  errors     %s", errs.length() == 0 ? " none" : errs.toString());
    JsonObject fleet = json.getJsonObject("counts");
    line(b, "  counts      echo nodes %s, simulators %d at the fleet's settled instant: %s (%s)",
        fleet.getValue("nodesHeld") == null ? "?" : fleet.getLong("nodesHeld").toString(), fleet.getLong("simulatorsHeld"),
        fleet.getBoolean("agree") ? "agree" : "DO NOT AGREE", fleet.getString("compared"));
    JsonArray sims = json.getJsonArray("simulators");
    for (int i = 0; i < sims.size(); i++) {
      JsonObject s = sims.getJsonObject(i);
      line(b, "  simulator   %s: held %d of %d at end, after ramp min %d, churn %s, echo errors %d, counts %s; verdict %s",
          s.getString("nodeId"), s.getLong("heldAtEnd"), s.getLong("share"), s.getLong("minHeldAfterRamp"),
          s.getValue("achievedChurn") == null ? "n/a" : String.format(Locale.ROOT, "%.3f", s.getDouble("achievedChurn")),
          s.getLong("echoErrors"), Boolean.TRUE.equals(s.getBoolean("countsAgree")) ? "agree"
              : s.getString("clusterCompared", "").startsWith("not comparable") ? "NOT COMPARABLE" : "DRIFT",
          s.getBoolean("ok") ? "OK" : "FAILED");
    }
    JsonArray deaths = json.getJsonArray("deaths");
    for (int i = 0; i < deaths.size(); i++) {
      JsonObject dd = deaths.getJsonObject(i);
      line(b, "  DIED        %s (pid %d, exit %d) at %.0fs; its last log lines:", dd.getString("name"), dd.getLong("pid"),
          dd.getInteger("exitCode"), dd.getDouble("seconds"));
      dd.getJsonArray("lastLogLines").forEach(l -> line(b, "      | %s", l));
    }
    b.append(Thresholds.toText(json));
    JsonArray reasons = verdict.getJsonArray("reasons");
    line(b, "  verdict     %s", verdict.getBoolean("ok") ? "OK" : "FAILED: " + String.join("; ", reasons.getList()));
    return b.toString();
  }

  static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /** The report as one self-contained HTML page with plots. */
  public String toHtml() {
    JsonArray tl = json.getJsonArray("timeline");
    int n = tl.size();
    double[] t = new double[n];
    JsonArray children = json.getJsonArray("children");
    List<String> nodeNames = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      if (children.getJsonObject(i).getString("role").equals("node")) {
        nodeNames.add(children.getJsonObject(i).getString("name"));
      }
    }
    double[][] perNode = new double[nodeNames.size()][n];
    double[] nodesHeld = new double[n];
    double[] simHeld = new double[n];
    double[] targetLine = new double[n];
    double[] opened = new double[n];
    double[] closed = new double[n];
    double[] churnLast = new double[n];
    double[] churnSoFar = new double[n];
    double[] configured = new double[n];
    double[] msgs = new double[n];
    double[] p50 = new double[n];
    double[] p99 = new double[n];
    double[] hs = new double[n];
    double[] errTotal = new double[n];
    TreeSet<String> classes = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      classes.addAll(tl.getJsonObject(i).getJsonObject("errorsByClass").fieldNames());
    }
    Map<String, double[]> byClass = new TreeMap<>();
    classes.forEach(c -> byClass.put(c, new double[n]));
    double configuredFraction = json.getJsonObject("churn").getDouble("configuredFraction");
    for (int i = 0; i < n; i++) {
      JsonObject s = tl.getJsonObject(i);
      t[i] = s.getDouble("t");
      JsonArray nh = s.getJsonArray("nodeHeld");
      for (int k = 0; k < nodeNames.size() && k < nh.size(); k++) {
        perNode[k][i] = nh.getLong(k);
      }
      nodesHeld[i] = s.getLong("nodesHeld");
      simHeld[i] = s.getLong("simHeld");
      targetLine[i] = s.getLong("target");
      opened[i] = s.getDouble("openedPerSecond");
      closed[i] = s.getDouble("closedPerSecond");
      churnLast[i] = num(s, "churnPerPeriod");
      churnSoFar[i] = num(s, "churnSoFar");
      configured[i] = configuredFraction;
      msgs[i] = s.getDouble("messagesPerSecond");
      p50[i] = num(s, "p50");
      p99[i] = num(s, "p99");
      hs[i] = num(s, "handshakeMs");
      errTotal[i] = s.getLong("errors");
      for (Map.Entry<String, double[]> e : byClass.entrySet()) {
        e.getValue()[i] = s.getJsonObject("errorsByClass").getLong(e.getKey(), 0L);
      }
    }
    String[] colors = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    List<PlotPage.Series> held = new ArrayList<>();
    for (int k = 0; k < nodeNames.size(); k++) {
      held.add(new PlotPage.Series(nodeNames.get(k), colors[k % colors.length], perNode[k]));
    }
    held.add(new PlotPage.Series("nodes total", "#000000", nodesHeld));
    held.add(new PlotPage.Series("simulators' count", "#ff7f0e", simHeld));
    held.add(new PlotPage.Series("target", "#888888", targetLine));
    List<PlotPage.Series> errs = new ArrayList<>();
    errs.add(new PlotPage.Series("all errors", "#d62728", errTotal));
    int c = 0;
    for (Map.Entry<String, double[]> e : byClass.entrySet()) {
      errs.add(new PlotPage.Series(e.getKey(), colors[c++ % colors.length], e.getValue()));
    }
    PlotPage page = new PlotPage("holdfast demo report")
        .text("Summary", toText())
        .thresholds(Thresholds.of(json))
        .plot("Held connections per node and in total, against the target", "connections", false, t, held)
        .plot("Opens and closes per second (the nodes' counts)", "per second", false, t, PlotPage.series(
            new PlotPage.Series("opened/s", "#1f77b4", opened), new PlotPage.Series("closed/s", "#d62728", closed)))
        .plot("Churn: configured against achieved (fraction per " + json.getJsonObject("churn").getString("period") + ")",
            "fraction per period", false, t, PlotPage.series(new PlotPage.Series("configured", "#888888", configured),
                new PlotPage.Series("achieved since the ramp", "#ff7f0e", churnSoFar),
                new PlotPage.Series("last second", "#1f77b4", churnLast)))
        .plot("Echo latency from the intended send time (ms, log scale; worst simulator of each second)", "ms", true, t,
            PlotPage.series(new PlotPage.Series("p50", "#1f77b4", p50), new PlotPage.Series("p99", "#ff7f0e", p99)))
        .plot("Handshake latency (ms, log scale; the demo's probe to each node, slowest per second)", "ms", true, t,
            PlotPage.series(new PlotPage.Series("handshake", "#9467bd", hs)))
        .plot("Messages sent per second", "per second", false, t,
            PlotPage.series(new PlotPage.Series("messages/s", "#2ca02c", msgs)))
        .plot("Errors by class (cumulative)", "errors", false, t, errs);
    return page.json("Report JSON", json.copy().put("timeline", "(plotted above)")).render();
  }

  /** A number of a report that may be absent or null (a run whose ramp never ended has no churn window): 0 then. */
  private static double number(JsonObject o, String field) {
    return o.getValue(field) instanceof Number n ? n.doubleValue() : 0;
  }

  private static double num(JsonObject s, String field) {
    Object v = s.getValue(field);
    return v instanceof Number x ? x.doubleValue() : Double.NaN;
  }

  /** Writes {@code report.json}, {@code report.txt} and {@code report.html} into the run folder. */
  public List<Path> write(Path dir) throws IOException {
    List<Path> out = Arrays.asList(dir.resolve("report.json"), dir.resolve("report.txt"), dir.resolve("report.html"));
    Files.writeString(out.get(0), json.encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(out.get(1), toText(), StandardCharsets.UTF_8);
    Files.writeString(out.get(2), toHtml(), StandardCharsets.UTF_8);
    return out;
  }
}
