package dev.holdfast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thread counts (and the work left off) a holdfast member runs Hazelcast with, for a process whose work is on its
 * Vert.x event loops: Hazelcast carries one small snapshot write per node per publish interval and
 * a few membership events, so its default pools (sized by cores, 30-odd threads on this 2-core
 * machine) mostly sleep and only add to the thread count and the scheduler's work.
 *
 * <p>Each is a default only: a property set in the XML, or as a {@code -Dhazelcast.*} system
 * property, wins (Hazelcast itself lets the XML win over the system property).
 */
public final class HazelcastThreads {

  /** Property name to the value used when neither the XML nor a system property sets it. */
  public static final Map<String, String> DEFAULTS = defaults();
  /**
   * Threads of each of Hazelcast's executors that take their size from the {@code default} executor
   * config (its internal async and query executors among them; Hazelcast's default is 16 each, all
   * started at a member's join and idle a minute before they end). An {@code <executor-service
   * name="default">} in the XML wins.
   */
  public static final int DEFAULT_EXECUTOR_POOL_SIZE = 2;

  private HazelcastThreads() {
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    // partition and generic operations: a put per node per interval, and its backup
    d.put("hazelcast.operation.thread.count", "1");
    d.put("hazelcast.operation.generic.thread.count", "1");
    d.put("hazelcast.operation.response.thread.count", "1");
    // one reader and one writer thread carry the member-to-member connections (default 3 each)
    d.put("hazelcast.io.thread.count", "1");
    // membership and map events, a few a second at most (default 5)
    d.put("hazelcast.event.thread.count", "1");
    // no periodic health check nor its thread (its log line is off by default anyway)
    d.put("hazelcast.health.monitoring.level", "OFF");
    // no metrics collection: every 5 s it reads the OS's figures, the open-file count among them,
    // which the JDK gets by listing /proc/self/fd (8-43 ms at 19,000 sockets, on a Hazelcast thread);
    // holdfast's own metrics (Micrometer, Prometheus) carry what an operator watches
    d.put("hazelcast.metrics.enabled", "false");
    d.put("hazelcast.phone.home.enabled", "false");
    return Map.copyOf(d);
  }

  /** Sets every default that {@code config}'s properties and the system properties leave unset. */
  public static Config applyDefaults(Config config) {
    for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
      if (config.getProperty(e.getKey()) == null && System.getProperty(e.getKey()) == null) {
        config.setProperty(e.getKey(), e.getValue());
      }
    }
    if (!config.getExecutorConfigs().containsKey("default")) {
      config.addExecutorConfig(new ExecutorConfig("default").setPoolSize(DEFAULT_EXECUTOR_POOL_SIZE));
    }
    return config;
  }
}
