package dev.holdfast.demo;

import dev.holdfast.simulator.report.LatencySummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's one live view of the fleet. On a terminal it is a block of lines redrawn in place
 * (ANSI: cursor up, clear line) at every reading; otherwise (a pipe, a CI log) one plain line every
 * {@link #PLAIN_EVERY_SECONDS} seconds.
 */
final class LiveView {

  /** Seconds between two plain lines when stdout is not a terminal. */
  static final int PLAIN_EVERY_SECONDS = 5;

  private final PrintStream out;
  private final boolean ansi;
  private final List<String> nodeNames;
  private final ChurnRate churn;
  private final double durationSeconds;
  private int drawn;
  private double lastPlain = Double.NEGATIVE_INFINITY;

  LiveView(PrintStream out, boolean ansi, List<String> nodeNames, ChurnRate churn, double durationSeconds) {
    this.out = out;
    this.ansi = ansi;
    this.nodeNames = nodeNames;
    this.churn = churn;
    this.durationSeconds = durationSeconds;
  }

  /** Shows a reading. */
  void show(DemoSample s) {
    if (ansi) {
      List<String> lines = block(s);
      StringBuilder b = new StringBuilder();
      if (drawn > 0) {
        b.append("\033[").append(drawn).append('F'); // to the start of the block drawn last
      }
      for (String l : lines) {
        b.append(l).append("\033[K\n");
      }
      out.print(b);
      out.flush();
      drawn = lines.size();
    } else if (s.seconds() - lastPlain >= PLAIN_EVERY_SECONDS - 0.5) {
      lastPlain = s.seconds();
      out.println(line(s));
      out.flush();
    }
  }

  /** Leaves the block on screen; what follows starts below it. */
  void end() {
    drawn = 0;
  }

  /** The block for a terminal. */
  List<String> block(DemoSample s) {
    List<String> l = new ArrayList<>();
    l.add(String.format(Locale.ROOT, "holdfast demo  %3.0fs of %.0fs  %-6s  target %,d  held %,d (%.1f%%)",
        s.seconds(), durationSeconds, s.phase(), s.target(), s.simHeld(),
        s.target() == 0 ? 0.0 : 100.0 * s.simHeld() / s.target()));
    for (int i = 0; i < nodeNames.size(); i++) {
      l.add(String.format(Locale.ROOT, "  %-8s held %,8d  kernel %s", nodeNames.get(i), s.nodeHeld()[i],
          count(s.nodeKernel()[i])));
    }
    l.add(String.format(Locale.ROOT, "  %-8s held %,8d  kernel %s   (simulators: held %,d, kernel %s)", "cluster",
        s.nodesHeld(), count(s.nodesKernel()), s.simHeld(), count(s.simKernel())));
    l.add(String.format(Locale.ROOT, "  churn    configured %s  achieved %s (last second %s)   opens/s %,.0f closes/s %,.0f",
        churn, fraction(s.churnSoFar()), fraction(s.churnPerPeriod()), s.openedPerSecond(), s.closedPerSecond()));
    l.add(String.format(Locale.ROOT, "  messages %,.0f/s  echo p50 %s p99 %s  handshake %s", s.messagesPerSecond(),
        ms(s.p50()), ms(s.p99()), ms(s.handshakeMs())));
    l.add("  errors   " + errors(s.errorsByClass(), s.errors()));
    return l;
  }

  /** The plain line. */
  String line(DemoSample s) {
    StringBuilder nodes = new StringBuilder();
    for (int i = 0; i < s.nodeHeld().length; i++) {
      nodes.append(i == 0 ? "" : "+").append(s.nodeHeld()[i]);
    }
    return String.format(Locale.ROOT, "[%3.0fs] %s held %d/%d nodes %s=%d kernel %s churn %s of %s msgs/s %.0f"
            + " p50 %s p99 %s handshake %s errors %s",
        s.seconds(), s.phase(), s.simHeld(), s.target(), nodes, s.nodesHeld(),
        s.nodesKernel() < 0 ? "?" : Long.toString(s.nodesKernel()),
        fraction(s.churnSoFar()), churn, s.messagesPerSecond(), ms(s.p50()), ms(s.p99()), ms(s.handshakeMs()),
        errors(s.errorsByClass(), s.errors()));
  }

  private static String count(long n) {
    return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
  }

  private static String fraction(double f) {
    return Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.3f", f);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : LatencySummary.format(v);
  }

  private static String errors(Map<String, Long> byClass, long total) {
    if (byClass.isEmpty()) {
      return total == 0 ? "none" : String.valueOf(total);
    }
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(byClass).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }
}
