package dev.holdfast.bench;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a self-contained SVG, written by hand: one group per row (a server or a
 * JVM variant), one bar per series, each bar labelled with its value.
 */
final class BarChart {

  private static final String[] COLORS = {"#4C78A8", "#F58518", "#54A24B", "#B279A2"};
  private static final int WIDTH = 760;
  private static final int HEIGHT = 380;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 56;
  private static final int BOTTOM = 70;

  private BarChart() {
  }

  /**
   * @param values {@code values[series][group]}; NaN draws no bar
   */
  static String svg(String title, String unit, List<String> groups, List<String> series, double[][] values) {
    double max = 0;
    for (double[] s : values) {
      for (double v : s) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    double top = niceCeiling(max);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
    b.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    b.append(String.format("<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
    // legend
    int lx = LEFT;
    for (int s = 0; s < series.size(); s++) {
      b.append(String.format("<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"43\">%s</text>%n", lx, COLORS[s % COLORS.length], lx + 16, esc(series.get(s))));
      lx += 26 + 7 * series.get(s).length();
    }
    // axis with 5 gridlines
    for (int i = 0; i <= 5; i++) {
      double v = top * i / 5;
      int y = TOP + plotH - (int) Math.round(plotH * i / 5.0);
      b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%s</text>%n",
          LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, fmt(v)));
    }
    b.append(String.format("<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\" "
        + "fill=\"#555\">%s</text>%n",
        TOP + plotH / 2, TOP + plotH / 2, esc(unit)));
    double groupW = (double) plotW / groups.size();
    double barW = Math.min(60, groupW * 0.8 / series.size());
    for (int g = 0; g < groups.size(); g++) {
      double gx = LEFT + g * groupW + (groupW - barW * series.size()) / 2;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][g];
        if (Double.isNaN(v)) {
          continue;
        }
        double h = top == 0 ? 0 : plotH * v / top;
        double x = gx + s * barW;
        double y = TOP + plotH - h;
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
            + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
            x, y, barW - 2, h, COLORS[s % COLORS.length], x + (barW - 2) / 2, y - 4, fmt(v)));
      }
      // long names break after their commas, one line each
      String[] lines = groups.get(g).split(",\\s*");
      for (int i = 0; i < lines.length; i++) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"%d\">%s</text>%n",
            LEFT + g * groupW + groupW / 2, TOP + plotH + 18 + 15 * i, groups.size() > 5 ? 10 : 12, esc(lines[i])));
      }
    }
    b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        LEFT, TOP + plotH, WIDTH - RIGHT, TOP + plotH));
    b.append("</svg>\n");
    return b.toString();
  }

  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * mag >= v * 1.08) {
        return step * mag;
      }
    }
    return 10 * mag;
  }

  private static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
