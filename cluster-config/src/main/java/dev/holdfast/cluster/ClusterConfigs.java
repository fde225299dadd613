package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.XmlConfigBuilder;
import dev.holdfast.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Hazelcast configurations of {@code cluster-config/}, chosen by name or by file path.
 *
 * <ul>
 *   <li>{@code loopback}: several nodes on one machine (TCP-IP join on 127.0.0.1), the default;
 *   <li>{@code members}: several machines, a member-list template to copy and edit;
 *   <li>{@code multicast}: a LAN that allows multicast;
 *   <li>{@code kubernetes}: discovery through the Kubernetes API or DNS.
 * </ul>
 *
 * <p>Every one gets {@link HazelcastThreads}' pool sizes where it sets none of its own.
 */
public final class ClusterConfigs {

  /** The bundled configurations, by name. */
  public static final List<String> NAMES = List.of("loopback", "members", "multicast", "kubernetes");

  private ClusterConfigs() {
  }

  /**
   * Loads a bundled configuration by name, or an XML file by path.
   *
   * @param jsonPath where the choice came from, for the error message
   * @param clusterName when not null, replaces the file's cluster name (tests use their own)
   */
  public static Config load(String nameOrPath, String clusterName, String jsonPath) {
    Config config;
    if (NAMES.contains(nameOrPath)) {
      try (InputStream in = ClusterConfigs.class.getResourceAsStream("/holdfast/cluster/" + nameOrPath + ".xml")) {
        config = new XmlConfigBuilder(in).build();
      } catch (IOException e) {
        throw new IllegalStateException("bundled cluster config " + nameOrPath + " is missing from the jar", e);
      }
    } else {
      Path file = Path.of(nameOrPath);
      if (!Files.isReadable(file)) {
        throw new ConfigException(jsonPath, "\"" + nameOrPath + "\" is neither a bundled cluster config ("
            + String.join(", ", NAMES) + ") nor a readable Hazelcast XML file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        config = new XmlConfigBuilder(in).build();
      } catch (IOException | InvalidConfigurationException e) {
        throw new ConfigException(jsonPath, "\"" + nameOrPath + "\" is not a valid Hazelcast XML config: " + e.getMessage());
      }
    }
    if (clusterName != null) {
      config.setClusterName(clusterName);
    }
    return HazelcastThreads.applyDefaults(config);
  }
}
