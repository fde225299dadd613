package dev.holdfast.cli;

import com.hazelcast.config.Config;
import dev.holdfast.cluster.ClusterJoin;
import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.config.ConfigException;
import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.role.RoleOptions;
import dev.holdfast.role.RoleRuntime;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What every subcommand does alike. */
final class Cli {

  /** Held so the level set here is not lost when the logger would be garbage collected. */
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
  private static final Logger CP_SUBSYSTEM = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  private Cli() {
  }

  /** A role's started process and its cluster view ({@code null} when standalone, or not yet started). */
  record Started(RoleRuntime runtime, ClusterView view) {
  }

  /**
   * Starts a role's process: joined to the cluster (and its view made, not yet started) unless
   * {@code cluster} says standalone. A bad cluster config is a {@link ConfigException}.
   */
  static Started start(RoleOptions options, ClusterSettings cluster) throws Exception {
    return start(options, cluster, false);
  }

  /**
   * @param liteMember join as a Hazelcast lite member: one that owns no partitions, so its join and
   *     its death move no data and its process carries no one else's entries. Only where the cluster
   *     is sure to have data members (a simulator that finds its targets in the cluster needs echo
   *     nodes there); a cluster of lite members alone cannot hold the snapshots.
   */
  static Started start(RoleOptions options, ClusterSettings cluster, boolean liteMember) throws Exception {
    quietHazelcast();
    if (!cluster.enabled()) {
      return new Started(RoleBootstrap.start(options).await(30, TimeUnit.SECONDS), null);
    }
    Config hazelcast = cluster.hazelcastConfig();
    if (liteMember) {
      hazelcast.setLiteMember(true); // never the other way: a lite member in the user's XML stays one
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    RoleRuntime runtime = RoleBootstrap.start(options, manager).await(120, TimeUnit.SECONDS);
    ClusterJoin join = new ClusterJoin(runtime.vertx(), manager);
    return new Started(runtime, new ClusterView(join, cluster.publishInterval(), cluster.ttlIntervals()));
  }

  /** Prints a user's config mistake without a stack trace; returns the exit code for it. */
  static int configError(String command, ConfigException e) {
    System.err.println("holdfast " + command + ": config error at " + e.getMessage());
    return Holdfast.USAGE;
  }

  /** Hazelcast logs every member event at INFO; keep warnings and errors only, unless asked. */
  static void quietHazelcast() {
    if (System.getProperty("holdfast.hazelcast.verbose") == null) {
      HAZELCAST.setLevel(Level.WARNING);
      CP_SUBSYSTEM.setLevel(Level.SEVERE); // warns that CP is off; holdfast uses no CP structures
    }
  }

  /** Waits for one step of a stop; a failure or time-out is reported, and the stop goes on. */
  static void awaitQuietly(String step, io.vertx.core.Future<?> future, long timeoutMs) {
    try {
      future.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("holdfast: " + step + ": " + rootCause(e));
    }
  }

  /** A flag given on the command line overrides the config file's field; one not given leaves it. */
  static void putIfGiven(io.vertx.core.json.JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  /** The cause behind the wrappers that futures and executors add. */
  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
