package dev.holdfast.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Latency buckets as Prometheus reads them: boundaries, cumulative counts, sum, and the process's labels. */
class LatencyHistogramTest {

  @Test
  void valuesLandInTheBucketOfTheirUpperBoundAndScrapeCumulatively() {
    LatencyBuckets a = new LatencyBuckets();
    LatencyBuckets b = new LatencyBuckets();
    a.record(TimeUnit.MICROSECONDS.toNanos(300));   // <= 0.5 ms
    a.record(TimeUnit.MICROSECONDS.toNanos(500));   // exactly on a bound: counts in that bucket (le = less or equal)
    b.record(TimeUnit.MILLISECONDS.toNanos(7));     // <= 10 ms
    b.record(TimeUnit.SECONDS.toNanos(30));         // beyond 10 s: +Inf only
    b.record(-5);                                   // a clock step backwards counts as 0
    assertThat(a.count()).isEqualTo(2);
    assertThat(b.count()).isEqualTo(3);

    PrometheusMeterRegistry registry = Metrics.newRegistry("simulator", "sim-1");
    LatencyHistogramCollector.register(registry, "holdfast_test_latency_seconds", "test", () -> List.of(a, b));
    String text = registry.scrape();

    String labels = "node=\"sim-1\",role=\"simulator\"";
    assertThat(text).contains("# TYPE holdfast_test_latency_seconds histogram");
    assertThat(text).contains("holdfast_test_latency_seconds_bucket{" + labels + ",le=\"5.0E-4\"} 3");
    assertThat(text).contains("holdfast_test_latency_seconds_bucket{" + labels + ",le=\"0.005\"} 3");
    assertThat(text).contains("holdfast_test_latency_seconds_bucket{" + labels + ",le=\"0.01\"} 4");
    assertThat(text).contains("holdfast_test_latency_seconds_bucket{" + labels + ",le=\"10.0\"} 4");
    assertThat(text).contains("holdfast_test_latency_seconds_bucket{" + labels + ",le=\"+Inf\"} 5");
    assertThat(text).contains("holdfast_test_latency_seconds_count{" + labels + "} 5");
    assertThat(text).contains("holdfast_test_latency_seconds_sum{" + labels + "} 30.0078");
  }

  @Test
  void processMetricsReadTheKernelsFigures() {
    PrometheusMeterRegistry registry = Metrics.newRegistry("node", "n-1");
    double rss = registry.get("holdfast.process.resident.memory").gauge().value();
    double open = registry.get("holdfast.process.open.files").gauge().value();
    assertThat(rss).as("a JVM's resident set is tens of MB").isGreaterThan(10e6);
    assertThat(open).as("a JVM holds some files open (jars, stdio)").isGreaterThan(3);
    assertThat(open).isLessThan(registry.get("holdfast.process.open.files.max").gauge().value());
  }
}
