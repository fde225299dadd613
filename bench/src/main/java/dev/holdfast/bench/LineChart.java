package dev.holdfast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot on logarithmic axes as a self-contained SVG, written by hand like {@link BarChart}:
 * one polyline per series (series of the same colour share a legend entry: the rounds of one
 * server), points marked, and an optional horizontal limit drawn dashed.
 */
final class LineChart {

  /** One line: its legend name, its colour index, and its points in data units (x and y above 0). */
  record Series(String name, int color, boolean first, List<double[]> points) {
  }

  private static final String[] COLORS = {"#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2"};
  private static final int WIDTH = 760;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 56;
  private static final int BOTTOM = 56;

  private LineChart() {
  }

  /** @param limit a y value drawn as a dashed line and named {@code limitName}, or NaN for none */
  static String svg(String title, String xUnit, String yUnit, List<Series> series, double limit, String limitName) {
    List<double[]> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.points()));
    double xMin = decadeBelow(all.stream().mapToDouble(p -> p[0]).filter(v -> v > 0).min().orElse(1));
    double xMax = decadeAbove(all.stream().mapToDouble(p -> p[0]).max().orElse(10));
    double yMin = decadeBelow(Math.min(all.stream().mapToDouble(p -> p[1]).filter(v -> v > 0).min().orElse(1),
        Double.isNaN(limit) ? Double.MAX_VALUE : limit));
    double yMax = decadeAbove(Math.max(all.stream().mapToDouble(p -> p[1]).max().orElse(10),
        Double.isNaN(limit) ? 0 : limit));
    Axis x = new Axis(xMin, xMax, LEFT, WIDTH - RIGHT);
    Axis y = new Axis(yMin, yMax, HEIGHT - BOTTOM, TOP);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    b.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    b.append(String.format("<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
    int lx = LEFT;
    for (Series s : series) {
      if (!s.first()) {
        continue;
      }
      b.append(String.format("<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"43\">%s</text>%n", lx, color(s), lx + 16, esc(s.name())));
      lx += 26 + 7 * s.name().length();
    }
    for (double v = xMin; v <= xMax * 1.001; v *= 10) {
      for (int m = 1; m < 10 && v * m <= xMax * 1.001; m++) {
        double px = x.at(v * m);
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n",
            px, TOP, px, HEIGHT - BOTTOM, m == 1 ? "#ccc" : "#eee"));
        if (m == 1 || m == 2 || m == 5) {
          b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
              px, HEIGHT - BOTTOM + 16, fmt(v * m)));
        }
      }
    }
    for (double v = yMin; v <= yMax * 1.001; v *= 10) {
      for (int m = 1; m < 10 && v * m <= yMax * 1.001; m++) {
        double py = y.at(v * m);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            LEFT, py, WIDTH - RIGHT, py, m == 1 ? "#ccc" : "#eee"));
        if (m == 1 || m == 2 || m == 5) {
          b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>%n",
              LEFT - 6, py + 4, fmt(v * m)));
        }
      }
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%s</text>%n",
        (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 14, esc(xUnit)));
    b.append(String.format("<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\" "
        + "fill=\"#333\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, esc(yUnit)));
    if (!Double.isNaN(limit)) {
      double py = y.at(limit);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" "
          + "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#c00\">%s</text>%n",
          LEFT, py, WIDTH - RIGHT, py, WIDTH - RIGHT - 4, py - 5, esc(limitName)));
    }
    for (Series s : series) {
      List<double[]> pts = s.points().stream().filter(p -> p[0] > 0 && p[1] > 0)
          .sorted((p, q) -> Double.compare(p[0], q[0])).toList();
      StringBuilder line = new StringBuilder();
      for (double[] p : pts) {
        line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(p[0]), y.at(p[1])));
      }
      b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>%n",
          line.toString().trim(), color(s), s.first() ? "2" : "1.2", s.first() ? "" : " stroke-dasharray=\"4 3\""));
      for (double[] p : pts) {
        b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x.at(p[0]),
            y.at(p[1]), color(s)));
      }
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** A logarithmic axis from {@code min} to {@code max} onto pixels {@code from} to {@code to}. */
  private record Axis(double min, double max, double from, double to) {
    double at(double v) {
      double t = (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
      return from + t * (to - from);
    }
  }

  private static double decadeBelow(double v) {
    return Math.pow(10, Math.floor(Math.log10(v)));
  }

  private static double decadeAbove(double v) {
    return Math.pow(10, Math.ceil(Math.log10(v * 1.0001))); // a point right on a decade is not drawn on the frame
  }

  private static String color(Series s) {
    return COLORS[s.color() % COLORS.length];
  }

  private static String fmt(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
