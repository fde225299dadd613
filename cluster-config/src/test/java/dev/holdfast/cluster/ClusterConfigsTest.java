package dev.holdfast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import dev.holdfast.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled Hazelcast configurations parse and say what they claim; nothing here joins a network. */
class ClusterConfigsTest {

  @Test
  void everyBundledConfigParsesAndKeepsVertxStructures() {
    for (String name : ClusterConfigs.NAMES) {
      Config c = ClusterConfigs.load(name, null, "$.cluster.config");
      assertThat(c.getClusterName()).as(name).isEqualTo("holdfast");
      assertThat(c.getMultiMapConfigs()).as(name).containsKey("__vertx.subs");
      assertThat(c.getMapConfigs()).as(name).containsKeys("__vertx.haInfo", "__vertx.nodeInfo", ClusterView.MAP);
      assertThat(c.getProperty("hazelcast.phone.home.enabled")).as(name).isEqualTo("false");
      assertThat(c.getMapConfig(ClusterView.MAP).getMergePolicyConfig().getPolicy()).as(name)
          .isEqualTo("com.hazelcast.spi.merge.LatestUpdateMergePolicy");
      assertThat(c.getMapConfig(ClusterView.MAP).isPerEntryStatsEnabled()).as(name).isTrue();
    }
  }

  @Test
  void settingsReplaceTheMemberListInterfacesAndFailureTimings() {
    Config c = new ClusterSettings().config("members").members(java.util.List.of("198.18.0.11", "198.18.0.12"))
        .interfaces(java.util.List.of("198.18.0.*")).heartbeatTimeout(java.time.Duration.ofSeconds(6))
        .mergeDelay(java.time.Duration.ofSeconds(5)).hazelcastConfig();
    assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("198.18.0.11", "198.18.0.12");
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("198.18.0.*");
    assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("6");
    assertThat(c.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(c.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(c.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
    Config kept = ClusterConfigs.load("members", null, "$");
    assertThat(kept.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("60");
  }

  @Test
  void loopbackJoinsByTcpIpOn127001WithoutWaiting() {
    Config c = ClusterConfigs.load("loopback", "mine", "$.cluster.config");
    assertThat(c.getClusterName()).isEqualTo("mine");
    var join = c.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(c.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
  }

  @Test
  void theOtherJoinsAreWhatTheirNamesSay() {
    assertThat(ClusterConfigs.load("multicast", null, "$").getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isTrue();
    assertThat(ClusterConfigs.load("kubernetes", null, "$").getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()).isTrue();
    assertThat(ClusterConfigs.load("members", null, "$").getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).hasSize(3);
  }

  @Test
  void aMissingOrBrokenFileIsAConfigErrorAtItsPath(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ClusterConfigs.load(dir.resolve("nope.xml").toString(), null, "$.cluster.config"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("$.cluster.config: ")
        .hasMessageContaining("neither a bundled cluster config");
    Path broken = dir.resolve("broken.xml");
    Files.writeString(broken, "<hazelcast><network><join>");
    assertThatThrownBy(() -> ClusterConfigs.load(broken.toString(), null, "$.cluster.config"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a valid Hazelcast XML config");
  }

  @Test
  void snapshotsRoundTripThroughJson() {
    NodeSnapshot s = new NodeSnapshot("n1", "m1", NodeSnapshot.ROLE_NODE, "ws://127.0.0.1:8080/ws", 5, 7, 2, 1, 5, 123);
    assertThat(NodeSnapshot.fromJson(new JsonObject(s.toJson().encode()))).isEqualTo(s);
  }
}
