package dev.holdfast.simulator.report;

import java.util.Locale;

/**
 * The live progress line, one per progress tick:
 * {@code [ 12s] held 2000/2000 os 2000 opening 3 waiting 4 churned 412 (0.21/10s) msgs/s 400 p50 0.41ms p99 2.10ms errors 0}.
 */
public final class ProgressLine {

  private ProgressLine() {
  }

  /**
   * @param s the sample of this tick
   * @param churnedTotal churn closes since the start
   * @param achievedFraction churn achieved so far as a fraction per period, or NaN before the ramp is done
   * @param period the churn period as written in the config, such as "10s"
   * @param errorsTotal errors since the start
   */
  public static String format(TimelineSample s, long churnedTotal, double achievedFraction, String period, long errorsTotal) {
    String churn = Double.isNaN(achievedFraction) ? "" : String.format(Locale.ROOT, " (%.2f/%s)", achievedFraction, period);
    return String.format(Locale.ROOT,
        "[%3ds] held %d/%d os %s opening %d waiting %d churned %d%s msgs/s %d p50 %s p99 %s errors %d",
        Math.round(s.seconds()), s.held(), s.target(), s.os() < 0 ? "?" : Long.toString(s.os()), s.opening(),
        s.waiting(), churnedTotal, churn, Math.round(s.sentPerSecond()), LatencySummary.format(s.latency().p50()),
        LatencySummary.format(s.latency().p99()), errorsTotal);
  }
}
