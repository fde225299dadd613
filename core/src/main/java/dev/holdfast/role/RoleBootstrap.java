package dev.holdfast.role;

import dev.holdfast.metrics.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * Starts the Vert.x of one holdfast process the same way for every role: its event loops, native
 * transport where the machine has it, Vert.x's own metrics and the role's into one Prometheus
 * registry labelled with node and role, clustered on a given cluster manager or standalone, and
 * this process's open-file budget read once. The role then deploys its verticles on the
 * {@link RoleRuntime} it gets.
 */
public final class RoleBootstrap {

  private RoleBootstrap() {
  }

  /**
   * Vert.x options for a role: its event loops, small worker and internal blocking pools (the work
   * is on the event loops; see {@link RoleOptions}), native transport preferred, metrics on.
   */
  public static VertxOptions vertxOptions(RoleOptions options) {
    return new VertxOptions()
        .setEventLoopPoolSize(options.eventLoops())
        .setWorkerPoolSize(options.workerPoolSize())
        .setInternalBlockingPoolSize(options.internalBlockingPoolSize())
        .setPreferNativeTransport(true)
        .setMetricsOptions(Metrics.vertxMetricsOptions());
  }

  /** A standalone (unclustered) process; completes at once. */
  public static Future<RoleRuntime> start(RoleOptions options) {
    PrometheusMeterRegistry registry = Metrics.newRegistry(options.role(), options.nodeId());
    Vertx vertx = builder(options, registry).build();
    return Future.succeededFuture(new RoleRuntime(options, vertx, registry));
  }

  /** A process joined to a cluster through {@code cluster}; completes once it is a member. */
  public static Future<RoleRuntime> start(RoleOptions options, ClusterManager cluster) {
    PrometheusMeterRegistry registry = Metrics.newRegistry(options.role(), options.nodeId());
    return builder(options, registry).withClusterManager(cluster).buildClustered()
        .map(vertx -> new RoleRuntime(options, vertx, registry));
  }

  private static VertxBuilder builder(RoleOptions options, PrometheusMeterRegistry registry) {
    return Vertx.builder().with(vertxOptions(options)).withMetrics(new MicrometerMetricsFactory(registry));
  }
}
