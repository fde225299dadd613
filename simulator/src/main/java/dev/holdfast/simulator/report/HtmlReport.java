package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's HTML report: the text report, the thresholds beside their measured values, and
 * uPlot plots of the timeline (held against the target, opens and closes per second, configured
 * against achieved churn, echo latency percentiles, errors), all in one page ({@link PlotPage}).
 */
final class HtmlReport {

  private HtmlReport() {
  }

  static String render(RunReport report) {
    JsonObject json = report.toJson();
    List<TimelineSample> samples = new ArrayList<>();
    JsonArray timeline = json.getJsonArray("timeline");
    for (int i = 0; i < timeline.size(); i++) {
      samples.add(TimelineSample.fromJson(timeline.getJsonObject(i)));
    }
    double[] t = PlotPage.values(samples, TimelineSample::seconds);
    double[] dt = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      dt[i] = Math.max(1e-3, t[i] - (i == 0 ? 0 : t[i - 1]));
    }
    double configured = json.getJsonObject("churn").getDouble("configuredFraction", 0.0);
    double period = json.getJsonObject("config").getJsonObject("churn") == null ? 60
        : dev.holdfast.config.Durations.parseOrNull(json.getJsonObject("config").getJsonObject("churn").getString("period"))
            .toNanos() / 1e9;
    double[] closes = new double[t.length];
    double[] achieved = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      TimelineSample s = samples.get(i);
      closes[i] = (s.churned() + s.stormed()) / dt[i];
      achieved[i] = s.target() <= 0 ? Double.NaN : s.churned() / (double) s.target() / (dt[i] / period);
    }
    double[] configuredLine = new double[t.length];
    java.util.Arrays.fill(configuredLine, configured);
    PlotPage page = new PlotPage("holdfast simulate report")
        .text("Summary", report.toText())
        .thresholds(Thresholds.of(json))
        .plot("Held connections against the target", "connections", false, t, PlotPage.series(
            new PlotPage.Series("held", "#1f77b4", PlotPage.values(samples, s -> s.held())),
            new PlotPage.Series("target", "#888888", PlotPage.values(samples, s -> s.target())),
            new PlotPage.Series("kernel (os)", "#2ca02c", PlotPage.values(samples, s -> s.os() < 0 ? Double.NaN : s.os()))))
        .plot("Opens and closes per second", "per second", false, t, PlotPage.series(
            new PlotPage.Series("opened/s", "#1f77b4", PlotPage.values(samples, TimelineSample::openedPerSecond)),
            new PlotPage.Series("churn+storm closes/s", "#d62728", closes)))
        .plot("Churn: configured against achieved (fraction per period)", "fraction per period", false, t,
            PlotPage.series(new PlotPage.Series("configured", "#888888", configuredLine),
                new PlotPage.Series("achieved (per interval)", "#ff7f0e", achieved)))
        .plot("Echo latency from the intended send time (ms, log scale)", "ms", true, t, PlotPage.series(
            new PlotPage.Series("p50", "#1f77b4", PlotPage.values(samples, s -> s.latency().p50())),
            new PlotPage.Series("p99", "#ff7f0e", PlotPage.values(samples, s -> s.latency().p99())),
            new PlotPage.Series("max", "#d62728", PlotPage.values(samples, s -> s.latency().max()))))
        .plot("Errors per interval", "errors", false, t, PlotPage.series(
            new PlotPage.Series("errors", "#d62728", PlotPage.values(samples, s -> s.errors()))));
    return page.json("Report JSON", json.copy().put("timeline", "(plotted above)")).render();
  }
}
