package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report as one self-contained HTML page: the text report, and hand-written inline SVG plots
 * of the timeline (held over time, latency percentiles over time, churn per interval). No
 * scripts, no external files: it can be mailed or attached to a ticket as is.
 */
final class HtmlReport {

  private static final int W = 760;
  private static final int H = 220;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 30;

  private HtmlReport() {
  }

  static String render(RunReport report) {
    JsonObject json = report.toJson();
    List<TimelineSample> samples = new ArrayList<>();
    JsonArray timeline = json.getJsonArray("timeline");
    for (int i = 0; i < timeline.size(); i++) {
      samples.add(TimelineSample.fromJson(timeline.getJsonObject(i)));
    }
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>holdfast simulate report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f6f6f6;padding:1em;")
        .append("overflow-x:auto}svg{display:block;margin:1em 0}text{font-size:11px;fill:#444}</style></head><body>\n")
        .append("<h1>holdfast simulate</h1>\n<pre>").append(escape(report.toText())).append("</pre>\n");
    b.append("<h2>Held connections</h2>\n");
    b.append(linePlot(samples, false, new Series[] {
        new Series("held", "#1f77b4", s -> s.held()),
        new Series("target", "#999", s -> s.target()),
        new Series("os", "#2ca02c", s -> s.os() < 0 ? Double.NaN : s.os())}));
    b.append("<h2>Echo latency (ms, log scale, from intended send time)</h2>\n");
    b.append(linePlot(samples, true, new Series[] {
        new Series("p50", "#1f77b4", s -> s.latency().p50()),
        new Series("p99", "#ff7f0e", s -> s.latency().p99()),
        new Series("max", "#d62728", s -> s.latency().max())}));
    b.append("<h2>Churn closes per interval</h2>\n");
    b.append(barPlot(samples));
    b.append("<h2>Report JSON</h2>\n<pre>").append(escape(json.copy().put("timeline", "(plotted above)").encodePrettily()))
        .append("</pre>\n</body></html>\n");
    return b.toString();
  }

  private record Series(String name, String color, ToDoubleFunction<TimelineSample> value) {
  }

  private static String linePlot(List<TimelineSample> samples, boolean log, Series[] series) {
    double tMax = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
    double yMax = 0;
    double yMin = Double.MAX_VALUE;
    for (TimelineSample s : samples) {
      for (Series se : series) {
        double v = se.value.applyAsDouble(s);
        if (!Double.isNaN(v) && (!log || v > 0)) {
          yMax = Math.max(yMax, v);
          yMin = Math.min(yMin, v);
        }
      }
    }
    StringBuilder b = svgStart();
    if (yMax <= 0) {
      return b.append(text(LEFT + 10, TOP + 20, "no data")).append("</svg>\n").toString();
    }
    double lo = log ? Math.pow(10, Math.floor(Math.log10(Math.max(yMin, 0.001)))) : 0;
    double hi = log ? Math.pow(10, Math.ceil(Math.log10(yMax))) : yMax * 1.1;
    if (log && hi <= lo) {
      hi = lo * 10;
    }
    double fLo = lo;
    double fHi = hi;
    ToDoubleFunction<Double> y = v -> {
      double frac = log ? (Math.log10(v) - Math.log10(fLo)) / (Math.log10(fHi) - Math.log10(fLo)) : v / fHi;
      return TOP + (H - TOP - BOTTOM) * (1 - frac);
    };
    axes(b, tMax);
    if (log) {
      for (double d = lo; d <= hi * 1.0001; d *= 10) {
        double yy = y.applyAsDouble(d);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, yy, W - RIGHT, yy))
            .append(text(4, yy + 4, trim(d)));
      }
    } else {
      for (int k = 0; k <= 4; k++) {
        double v = hi * k / 4;
        double yy = y.applyAsDouble(v);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, yy, W - RIGHT, yy))
            .append(text(4, yy + 4, trim(v)));
      }
    }
    int legendX = LEFT + 10;
    for (Series se : series) {
      StringBuilder pts = new StringBuilder();
      for (TimelineSample s : samples) {
        double v = se.value.applyAsDouble(s);
        if (Double.isNaN(v) || log && v <= 0) {
          continue;
        }
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(s.seconds(), tMax), y.applyAsDouble(Math.max(v, lo))));
      }
      b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(se.color).append("\" points=\"")
          .append(pts).append("\"/>\n");
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>", legendX, TOP - 12, se.color))
          .append(text(legendX + 14, TOP - 8, se.name));
      legendX += 70;
    }
    return b.append("</svg>\n").toString();
  }

  private static String barPlot(List<TimelineSample> samples) {
    double tMax = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
    long max = 1;
    for (TimelineSample s : samples) {
      max = Math.max(max, s.churned() + s.stormed());
    }
    StringBuilder b = svgStart();
    axes(b, tMax);
    double plotH = H - TOP - BOTTOM;
    double barW = Math.max(1, (W - LEFT - RIGHT) / Math.max(1.0, samples.size()) * 0.8);
    for (TimelineSample s : samples) {
      double hChurn = plotH * s.churned() / max;
      double hStorm = plotH * s.stormed() / max;
      double xx = x(s.seconds(), tMax) - barW;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\"/>",
          xx, H - BOTTOM - hChurn, barW, hChurn));
      if (hStorm > 0) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d62728\"/>",
            xx, H - BOTTOM - hChurn - hStorm, barW, hStorm));
      }
    }
    b.append(text(4, TOP + 4, Long.toString(max))).append(text(4, H - BOTTOM, "0"));
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"#1f77b4\"/>", LEFT + 10, TOP - 12))
        .append(text(LEFT + 24, TOP - 8, "churn"))
        .append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"#d62728\"/>", LEFT + 80, TOP - 12))
        .append(text(LEFT + 94, TOP - 8, "storm"));
    return b.append("</svg>\n").toString();
  }

  private static StringBuilder svgStart() {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", W, H, W, H));
  }

  private static void axes(StringBuilder b, double tMax) {
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
        LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
        LEFT, TOP, LEFT, H - BOTTOM));
    for (int k = 0; k <= 5; k++) {
      double t = tMax * k / 5;
      b.append(text(x(t, tMax) - 8, H - BOTTOM + 15, Math.round(t) + "s"));
    }
  }

  private static double x(double t, double tMax) {
    return LEFT + (W - LEFT - RIGHT) * t / tMax;
  }

  private static String text(double x, double y, String s) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x, y, escape(s));
  }

  private static String trim(double v) {
    if (v >= 100 || v == Math.rint(v)) {
      return Long.toString(Math.round(v));
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
