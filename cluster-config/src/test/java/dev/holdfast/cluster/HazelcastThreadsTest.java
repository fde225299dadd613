package dev.holdfast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hazelcast's pool sizes are holdfast's defaults, and an XML property or a system property still wins. */
class HazelcastThreadsTest {

  @Test
  void everyBundledConfigGetsTheSmallPools() {
    for (String name : ClusterConfigs.NAMES) {
      Config c = ClusterConfigs.load(name, null, "$.cluster.config");
      HazelcastThreads.DEFAULTS.forEach((property, value) ->
          assertThat(c.getProperty(property)).as(name + " " + property).isEqualTo(value));
    }
  }

  @Test
  void aPropertyInTheXmlWins(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("own.xml");
    Files.writeString(xml, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <properties><property name="hazelcast.operation.thread.count">8</property></properties>
        </hazelcast>
        """);
    Config c = ClusterConfigs.load(xml.toString(), null, "$.cluster.config");
    assertThat(c.getProperty("hazelcast.operation.thread.count")).isEqualTo("8");
    assertThat(c.getProperty("hazelcast.event.thread.count")).isEqualTo("1");
  }

  @Test
  void aSystemPropertyIsLeftToHazelcast() {
    String name = "hazelcast.io.thread.count";
    String before = System.getProperty(name);
    System.setProperty(name, "3");
    try {
      Config c = ClusterConfigs.load("loopback", null, "$.cluster.config");
      // not set in the config's own properties, so Hazelcast reads the system property itself
      assertThat(c.getProperties().getProperty(name)).isNull();
      assertThat(c.getProperty(name)).isEqualTo("3");
      assertThat(c.getProperty("hazelcast.operation.thread.count")).isEqualTo("1");
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
    }
  }
}
