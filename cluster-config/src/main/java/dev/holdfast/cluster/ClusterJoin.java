package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x joined through embedded Hazelcast, and its cluster manager.
 *
 * @param vertx the clustered Vert.x
 * @param manager its Hazelcast cluster manager: member ids, membership events, map statistics
 */
public record ClusterJoin(Vertx vertx, HazelcastClusterManager manager) {

  /** Starts an embedded Hazelcast member with {@code hazelcast} and a clustered Vert.x on it. */
  public static Future<ClusterJoin> join(VertxOptions options, MeterRegistry registry, Config hazelcast) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> new ClusterJoin(vertx, manager));
  }
}
