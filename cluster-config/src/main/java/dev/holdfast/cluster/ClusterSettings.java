package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Whether and how a holdfast process (echo node or simulator) joins the cluster: the
 * {@code cluster} object of its JSON config.
 */
public final class ClusterSettings {

  /** Hazelcast configuration used when none is named: TCP-IP join on loopback. */
  public static final String DEFAULT_CONFIG = "loopback";
  /** How often the node publishes its count snapshot. */
  public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(1);
  /** A snapshot lives this many publish intervals unless refreshed. */
  public static final int DEFAULT_TTL_INTERVALS = 3;

  private boolean enabled = true;
  private String config = DEFAULT_CONFIG;
  private String name;
  private Duration publishInterval = DEFAULT_PUBLISH_INTERVAL;
  private int ttlIntervals = DEFAULT_TTL_INTERVALS;
  private List<String> members;
  private List<String> interfaces;
  private Duration heartbeatTimeout;
  private Duration mergeDelay;

  /** Reads the {@code cluster} object of a node or simulator config. */
  public static ClusterSettings read(ConfigReader r) {
    ClusterSettings s = new ClusterSettings();
    s.enabled = r.bool("enabled", s.enabled);
    s.config = r.string("config", s.config);
    s.name = r.string("name", null);
    s.publishInterval = r.duration("publishInterval", s.publishInterval, Duration.ofMillis(100), Duration.ofMinutes(5));
    s.ttlIntervals = r.integer("ttlIntervals", s.ttlIntervals, 2, 100);
    s.members = r.strings("members", null);
    s.interfaces = r.strings("interfaces", null);
    s.heartbeatTimeout = r.duration("heartbeatTimeout", null, Duration.ofSeconds(2), Duration.ofHours(1));
    s.mergeDelay = r.duration("mergeDelay", null, Duration.ofSeconds(1), Duration.ofHours(1));
    r.finish();
    return s;
  }

  public boolean enabled() {
    return enabled;
  }

  public ClusterSettings enabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** A name of a bundled configuration ({@code loopback}, {@code members}, {@code multicast}, {@code kubernetes}) or a file path. */
  public String config() {
    return config;
  }

  public ClusterSettings config(String config) {
    this.config = config;
    return this;
  }

  /** The Hazelcast cluster name, replacing the config file's; null keeps the file's ("holdfast"). */
  public String name() {
    return name;
  }

  public ClusterSettings name(String name) {
    this.name = name;
    return this;
  }

  public Duration publishInterval() {
    return publishInterval;
  }

  public ClusterSettings publishInterval(Duration publishInterval) {
    this.publishInterval = publishInterval;
    return this;
  }

  public int ttlIntervals() {
    return ttlIntervals;
  }

  /** The TCP-IP member list replacing the XML's (addresses, optionally {@code host:port}); null keeps the file's. */
  public List<String> members() {
    return members;
  }

  public ClusterSettings members(List<String> members) {
    this.members = members;
    return this;
  }

  /** The interfaces Hazelcast binds and advertises (such as {@code 10.0.0.*}), replacing the XML's; null keeps the file's. */
  public List<String> interfaces() {
    return interfaces;
  }

  public ClusterSettings interfaces(List<String> interfaces) {
    this.interfaces = interfaces;
    return this;
  }

  /**
   * How long a silent member stays in the cluster ({@code hazelcast.max.no.heartbeat.seconds}, with
   * heartbeats every fifth of it); null keeps the file's.
   */
  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public ClusterSettings heartbeatTimeout(Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
    return this;
  }

  /**
   * How soon, and how often after, a member looks for another cluster of the same name to merge with
   * after a split ({@code hazelcast.merge.first.run.delay.seconds} and {@code ...next.run...}); null keeps the file's.
   */
  public Duration mergeDelay() {
    return mergeDelay;
  }

  public ClusterSettings mergeDelay(Duration mergeDelay) {
    this.mergeDelay = mergeDelay;
    return this;
  }

  /** These settings as the JSON {@link #read} takes; fields left unset (null) are left out. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("enabled", enabled).put("config", config).put("name", name)
        .put("publishInterval", Durations.format(publishInterval)).put("ttlIntervals", ttlIntervals);
    if (members != null) {
      j.put("members", new JsonArray(List.copyOf(members)));
    }
    if (interfaces != null) {
      j.put("interfaces", new JsonArray(List.copyOf(interfaces)));
    }
    if (heartbeatTimeout != null) {
      j.put("heartbeatTimeout", Durations.format(heartbeatTimeout));
    }
    if (mergeDelay != null) {
      j.put("mergeDelay", Durations.format(mergeDelay));
    }
    return j;
  }

  @Override
  public String toString() {
    return enabled ? config + " every " + Durations.format(publishInterval) : "standalone";
  }

  /** The Hazelcast configuration these settings name, with the cluster name applied. */
  public Config hazelcastConfig() {
    Config c = ClusterConfigs.load(config, name, "$.cluster.config");
    if (members != null) {
      c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
      c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    if (interfaces != null) {
      c.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(interfaces);
    }
    if (heartbeatTimeout != null) {
      long seconds = heartbeatTimeout.toSeconds();
      c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(seconds));
      c.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, seconds / 5)));
    }
    if (mergeDelay != null) {
      String seconds = Long.toString(mergeDelay.toSeconds());
      c.setProperty("hazelcast.merge.first.run.delay.seconds", seconds);
      c.setProperty("hazelcast.merge.next.run.delay.seconds", seconds);
    }
    return c;
  }
}
