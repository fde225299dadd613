package dev.holdfast.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The metrics core adds: latency buckets as Prometheus reads them, the event-loop probe, the process figures. */
class MetricsTest {

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
    double open = Eventually.poll(Duration.ofSeconds(10),
        () -> registry.get("holdfast.process.open.files").gauge().value(), v -> v >= 0);
    assertThat(rss).as("a JVM's resident set is tens of MB").isGreaterThan(10e6);
    assertThat(open).as("a JVM holds some files open (jars, stdio)").isGreaterThan(3);
    assertThat(open).isLessThan(registry.get("holdfast.process.open.files.max").gauge().value());
  }

  @Test
  void aBlockedEventLoopShowsInTheDelayHistogram() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      PrometheusMeterRegistry registry = Metrics.newRegistry("node", "n-1");
      EventLoopDelay.watch(vertx, registry);
      Context context = vertx.getOrCreateContext();
      // block one loop for 300 ms: the probe due on it during that time runs at least 200 ms late
      context.runOnContext(v -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)));
      String text = Eventually.poll(Duration.ofSeconds(20), registry::scrape,
          t -> count(t, "holdfast_event_loop_delay_seconds_count{") >= 10
              && count(t, "holdfast_event_loop_delay_seconds_count{") > count(t, "le=\"0.1\"}"));
      long all = count(text, "holdfast_event_loop_delay_seconds_count{");
      long upTo100ms = count(text, "le=\"0.1\"}");
      assertThat(all).as(text).isGreaterThanOrEqualTo(10);
      assertThat(all - upTo100ms).as("probes that ran over 100 ms late\n" + text).isGreaterThanOrEqualTo(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The value of the first line of the scrape containing {@code marker}. */
  private static long count(String scrape, String marker) {
    return scrape.lines().filter(l -> l.contains(marker)).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1L);
  }
}
