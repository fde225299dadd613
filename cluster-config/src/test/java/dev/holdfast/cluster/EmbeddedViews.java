package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real embedded Hazelcast members in this JVM, each with a {@link ClusterView} publishing a fixed
 * held count as node {@code nodeId}; a 4 s heartbeat timeout, so a member killed without leaving
 * is dropped within a test's patience. Close it after each test.
 */
final class EmbeddedViews implements AutoCloseable {

  private final Duration interval;
  private final List<ClusterJoin> joins = new ArrayList<>();

  EmbeddedViews(Duration interval) {
    this.interval = interval;
  }

  /** Joins {@code cluster} as one more member and starts its view publishing {@code held}. */
  ClusterView start(String cluster, String nodeId, long held) throws Exception {
    Config config = new ClusterSettings().name(cluster).heartbeatTimeout(Duration.ofSeconds(4)).hazelcastConfig();
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    ClusterJoin join = ClusterJoin.join(new VertxOptions(), new SimpleMeterRegistry(), config).await(60, TimeUnit.SECONDS);
    joins.add(join);
    ClusterView view = new ClusterView(join, interval, 3);
    view.start(() -> new NodeSnapshot(nodeId, null, NodeSnapshot.ROLE_NODE, "ws://x/" + nodeId, held, held, 0, 0, held, 0))
        .await(30, TimeUnit.SECONDS);
    return view;
  }

  /** Kills member {@code i} (in join order) without leaving: no member-left goodbye, as a crash. */
  void kill(int i) {
    joins.get(i).manager().getHazelcastInstance().getLifecycleService().terminate();
  }

  /** Member {@code i} leaves cleanly (its Vert.x closes) and is no longer closed here. */
  void leave(int i) throws Exception {
    joins.remove(i).vertx().close().await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    for (ClusterJoin j : joins) {
      try {
        j.vertx().close().await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already terminated under it
      }
    }
    joins.clear();
  }
}
