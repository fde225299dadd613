package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import java.time.Duration;

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

  /** Reads the {@code cluster} object of a node or simulator config. */
  public static ClusterSettings read(ConfigReader r) {
    ClusterSettings s = new ClusterSettings();
    s.enabled = r.bool("enabled", s.enabled);
    s.config = r.string("config", s.config);
    s.name = r.string("name", null);
    s.publishInterval = r.duration("publishInterval", s.publishInterval, Duration.ofMillis(100), Duration.ofMinutes(5));
    s.ttlIntervals = r.integer("ttlIntervals", s.ttlIntervals, 2, 100);
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

  @Override
  public String toString() {
    return enabled ? config + " every " + Durations.format(publishInterval) : "standalone";
  }

  /** The Hazelcast configuration these settings name, with the cluster name applied. */
  public Config hazelcastConfig() {
    return ClusterConfigs.load(config, name, "$.cluster.config");
  }
}
