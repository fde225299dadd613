package dev.holdfast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
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

  /**
   * A registry whose every series carries {@code node} and {@code role}, with the process's
   * resident memory and open files ({@link ProcessMetrics}) already on it.
   */
  public static PrometheusMeterRegistry newRegistry(String role, String nodeId) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeId, "role", role);
    ProcessMetrics.register(registry);
    return registry;
  }

  /**
   * The {@code node} and {@code role} labels of a registry made by {@link #newRegistry}, for
   * collectors registered beside Micrometer, which its common tags do not reach. Read off a meter
   * that {@code newRegistry} registered; empty for another registry.
   */
  static Labels commonLabels(PrometheusMeterRegistry registry) {
    Gauge probe = registry.find(ProcessMetrics.RESIDENT_MEMORY).gauge();
    if (probe == null) {
      return Labels.EMPTY;
    }
    Labels.Builder labels = Labels.builder();
    for (Tag t : probe.getId().getTags()) {
      labels.label(t.getKey(), t.getValue());
    }
    return labels.build();
  }

  /** Vert.x metrics (HTTP, event bus, pools, JVM) into the registry given to the metrics factory. */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }
}
