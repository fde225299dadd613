package dev.holdfast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.holdfast.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback configuration joins real Hazelcast members on 127.0.0.1, including members whose
 * port is past the first three: Hazelcast probes only 5701-5703 unless told otherwise, so a
 * cluster whose members sit higher (another cluster, or members that left, hold the low ports)
 * would never form.
 */
class LoopbackJoinTest {

  private final List<HazelcastInstance> started = new ArrayList<>();

  @AfterEach
  void tearDown() {
    started.forEach(h -> h.getLifecycleService().terminate());
  }

  private HazelcastInstance member(String cluster) {
    Config config = ClusterConfigs.load("loopback", cluster, "$.cluster.config");
    config.setProperty("hazelcast.health.monitoring.level", "OFF"); // no load reports in the build log
    HazelcastInstance h = Hazelcast.newHazelcastInstance(config);
    started.add(h);
    return h;
  }

  @Test
  void membersAboveTheFirstThreePortsFindEachOther() {
    String other = "other-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      member(other); // on this machine's lowest free member ports, 5701-5703 on a quiet one
    }
    String mine = "mine-" + UUID.randomUUID();
    HazelcastInstance a = member(mine);
    HazelcastInstance b = member(mine);
    int seen = Eventually.poll(Duration.ofSeconds(30), () -> a.getCluster().getMembers().size(), n -> n == 2);
    assertThat(seen).as("members of %s seen from port %d", mine, a.getCluster().getLocalMember().getAddress().getPort())
        .isEqualTo(2);
    assertThat(b.getCluster().getMembers()).hasSize(2);
    assertThat(started.get(0).getCluster().getMembers()).as("the other cluster stays apart").hasSize(3);
  }
}
