package dev.holdfast.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.Supplier;

/**
 * Exposes the sum of several {@link LatencyBuckets} (one per verticle or event loop) as one
 * Prometheus histogram: {@code NAME_bucket{le=...}}, {@code NAME_sum} (seconds), {@code NAME_count}.
 *
 * <p>It is registered on the Prometheus registry under Micrometer, so it is in the same
 * {@code /metrics} scrape; Micrometer's common tags do not reach it, so it copies the process's
 * {@code node} and {@code role} labels from the registry.
 */
public final class LatencyHistogramCollector implements Collector {

  private static final double[] UPPER_BOUNDS = new double[LatencyBuckets.BOUNDS_SECONDS.length + 1];

  static {
    System.arraycopy(LatencyBuckets.BOUNDS_SECONDS, 0, UPPER_BOUNDS, 0, LatencyBuckets.BOUNDS_SECONDS.length);
    UPPER_BOUNDS[UPPER_BOUNDS.length - 1] = Double.POSITIVE_INFINITY;
  }

  private final String name;
  private final String help;
  private final Labels labels;
  private final Supplier<? extends Iterable<LatencyBuckets>> histograms;

  private LatencyHistogramCollector(String name, String help, Labels labels,
      Supplier<? extends Iterable<LatencyBuckets>> histograms) {
    this.name = name;
    this.help = help;
    this.labels = labels;
    this.histograms = histograms;
  }

  /**
   * Registers a histogram named {@code name} (Prometheus form, ending in {@code _seconds}) that sums
   * whatever {@code histograms} yields at each scrape, labelled with the registry's {@code node}
   * and {@code role} ({@link Metrics#commonLabels}).
   */
  public static void register(PrometheusMeterRegistry registry, String name, String help,
      Supplier<? extends Iterable<LatencyBuckets>> histograms) {
    registry.getPrometheusRegistry().register(
        new LatencyHistogramCollector(name, help, Metrics.commonLabels(registry), histograms));
  }

  @Override
  public MetricSnapshot collect() {
    long[] counts = new long[UPPER_BOUNDS.length];
    long sumNanos = 0;
    for (LatencyBuckets h : histograms.get()) {
      h.addCountsTo(counts);
      sumNanos += h.sumNanos();
    }
    // per-bucket counts: the exposition format writes them cumulatively
    return HistogramSnapshot.builder().name(name).help(help)
        .dataPoint(HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts))
            .sum(sumNanos / 1e9)
            .labels(labels)
            .build())
        .build();
  }

  @Override
  public String getPrometheusName() {
    return name;
  }
}
