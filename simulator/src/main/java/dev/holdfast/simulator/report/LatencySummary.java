package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Echo latency percentiles in milliseconds, from a histogram of microseconds. Latency runs from a
 * message's <em>intended</em> send time to its echo's arrival, so a server or simulator stall
 * counts in full for every message it delayed.
 */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max, double mean) {

  /** No echoes. */
  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  /** Summarises a histogram of microseconds. */
  public static LatencySummary of(Histogram micros) {
    if (micros == null || micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), round(micros.getMean() / 1000.0));
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  static double round(double ms) {
    return Math.round(ms * 1000.0) / 1000.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("p50", p50).put("p90", p90).put("p99", p99)
        .put("p999", p999).put("max", max).put("mean", mean);
  }

  /** Formats milliseconds for a progress line: 0.412ms, 12.3ms, 2041ms. */
  public static String format(double ms) {
    if (ms < 10) {
      return String.format(java.util.Locale.ROOT, "%.2fms", ms);
    }
    if (ms < 100) {
      return String.format(java.util.Locale.ROOT, "%.1fms", ms);
    }
    return Math.round(ms) + "ms";
  }
}
