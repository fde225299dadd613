package dev.holdfast.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/** The cluster flags every clustered role takes, and how they override the config's {@code cluster} object. */
final class ClusterOptions {

  @Option(names = "--standalone", description = "Do not join a cluster")
  boolean standalone;

  @Option(names = "--cluster-config", paramLabel = "NAME|FILE",
      description = "Hazelcast config: loopback (default), members, multicast, kubernetes, or an XML file")
  String clusterConfig;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "Hazelcast cluster name (default: the config's, holdfast)")
  String clusterName;

  /** Writes the flags given into {@code json.cluster}, keeping the file's other cluster fields. */
  void applyTo(JsonObject json) {
    if (!standalone && clusterConfig == null && clusterName == null) {
      return;
    }
    JsonObject cluster = json.getValue("cluster") instanceof JsonObject o ? o : new JsonObject();
    if (standalone) {
      cluster.put("enabled", false);
    }
    Cli.putIfGiven(cluster, "config", clusterConfig);
    Cli.putIfGiven(cluster, "name", clusterName);
    json.put("cluster", cluster);
  }
}
