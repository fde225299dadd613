package dev.holdfast.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * One Prometheus registry per process, shared by Vert.x's own metrics and holdfast's.
 *
 * <p>Naming: holdfast meters start with {@code holdfast.} (scraped as {@code holdfast_...}), use
 * base units, and carry only low-cardinality labels: {@code node} and {@code role} on every
 * series, plus {@code reason} or {@code code} where a meter counts kinds. Never a label per
 * connection or per address: Vert.x's REMOTE label stays off.
 */
public final class Metrics {

  private Metrics() {
  }

  /** A registry whose every series carries {@code node} and {@code role}. */
  public static PrometheusMeterRegistry newRegistry(String role, String nodeId) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeId, "role", role);
    return registry;
  }

  /** Vert.x metrics (HTTP, event bus, pools, JVM) into the registry given to the metrics factory. */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }
}
