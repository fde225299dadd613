package dev.holdfast.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A latency histogram with fixed bucket boundaries, written by one thread (an event loop) and read
 * by any (a Prometheus scrape), for the series a fleet's percentiles are computed from by
 * Prometheus ({@code histogram_quantile} over the buckets' rates) rather than averaged from
 * per-process percentiles.
 *
 * <p>Recording is a scan over {@link #BOUNDS_SECONDS}' few boundaries and two release stores: no
 * allocation, no lock, no shared atomic, so it can sit on a per-message path. Each writer (a
 * verticle, an event loop) has its own instance; {@link LatencyHistogramCollector} sums them when
 * Prometheus scrapes. The fine-grained percentiles of a run stay in the simulator's HdrHistograms.
 */
public final class LatencyBuckets {

  /**
   * Upper bounds, in seconds, chosen for WebSocket latencies: sub-millisecond echoes on a quiet
   * loopback or LAN (0.5, 1, 2 ms), a busy node or a WAN hop (5 to 100 ms), a stalled event loop, a
   * GC pause or a backlog (250 ms to 10 s). Above 10 s only the {@code +Inf} bucket counts. Fourteen
   * buckets keep a series per bucket per process affordable in Prometheus.
   */
  public static final double[] BOUNDS_SECONDS =
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];
  /** Slot of the {@code +Inf} bucket; the sum of all values follows it. */
  private static final int INF = BOUNDS_SECONDS.length;
  private static final int SUM = INF + 1;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  /** Per bucket (not cumulative), then the sum of the values in nanoseconds. */
  private final long[] slots = new long[SUM + 1];

  /** Records one value. Only the owning thread calls this. */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    int i = 0;
    while (i < INF && v > BOUNDS_NANOS[i]) {
      i++;
    }
    SLOT.setRelease(slots, i, slots[i] + 1);
    SLOT.setRelease(slots, SUM, slots[SUM] + v);
  }

  /** Adds this histogram's per-bucket counts ({@code BOUNDS_SECONDS.length + 1}, the last {@code +Inf}) into {@code into}. */
  public void addCountsTo(long[] into) {
    for (int i = 0; i <= INF; i++) {
      into[i] += (long) SLOT.getAcquire(slots, i);
    }
  }

  /** The sum of all recorded values, in nanoseconds. */
  public long sumNanos() {
    return (long) SLOT.getAcquire(slots, SUM);
  }

  /** How many values were recorded. */
  public long count() {
    long n = 0;
    for (int i = 0; i <= INF; i++) {
      n += (long) SLOT.getAcquire(slots, i);
    }
    return n;
  }
}
