package dev.holdfast.simulator;

import dev.holdfast.config.ConfigException;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The Vert.x start-up of a simulator node, all in one place: the Vert.x options, the standalone
 * Vert.x with its metrics registry, the default node id, the open-file check, deploying the
 * simulator verticles and undeploying them. Kept apart so that a start-up shared by every role can
 * take its place.
 */
public final class SimulatorStartup {

  private final long openFiles = OpenFileLimit.max();
  private final List<String> deployments = new ArrayList<>();

  /**
   * Vert.x options for a simulator node: one event loop per simulator verticle and one more for
   * the node's own work (progress, counts, admin port), so that a ramp saturating the verticles'
   * loops does not hold up the progress line; native transport; metrics.
   */
  public static VertxOptions vertxOptions(SimulatorConfig config) {
    return new VertxOptions()
        .setEventLoopPoolSize(config.instances() + 1)
        .setPreferNativeTransport(true)
        .setMetricsOptions(Metrics.vertxMetricsOptions());
  }

  /** The metrics registry of a simulator node: {@code holdfast_*} meters labelled with its node id. */
  public static PrometheusMeterRegistry registry(SimulatorConfig config) {
    return Metrics.newRegistry("simulator", config.nodeId());
  }

  /** A standalone (unclustered) Vert.x for a simulator node, reporting into {@code registry}. */
  public static Vertx standaloneVertx(SimulatorConfig config, PrometheusMeterRegistry registry) {
    return Vertx.builder().with(vertxOptions(config)).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /** The node id used when none is configured: hostname-pid-sim. */
  public static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "sim";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-sim";
  }

  /** This process's open-file limit (-1 where the OS does not say). */
  long openFiles() {
    return openFiles;
  }

  /** How many connections this process can hold: its open-file limit less {@code openFileReserve}. */
  long socketsAllowed(SimulatorConfig config) {
    return OpenFileLimit.socketsAllowed(openFiles, config.openFileReserve());
  }

  /** Refuses, before any connection, a share this process cannot hold (a config error on {@code $.population}). */
  void checkOpenFiles(SimulatorConfig config, long share) {
    long allowed = socketsAllowed(config);
    if (share > allowed) {
      throw new ConfigException("$.population", config.population() + " gives this simulator node a share of "
          + share + " connections, more than it can hold: its open-file limit is " + openFiles + ", less a reserve of "
          + config.openFileReserve() + " leaves " + allowed + ". Raise the limit (ulimit -n; see `holdfast preflight`),"
          + " run more simulator nodes, or lower the population");
    }
  }

  /** Deploys {@code instances} simulator verticles, one per event loop; {@code create} makes verticle {@code i}. */
  Future<List<SimulatorVerticle>> deploy(Vertx vertx, int instances, IntFunction<SimulatorVerticle> create) {
    List<SimulatorVerticle> made = new ArrayList<>();
    return vertx.deployVerticle(() -> {
      synchronized (made) { // Vert.x may ask for the instances from more than one thread
        SimulatorVerticle v = create.apply(made.size());
        made.add(v);
        return v;
      }
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      deployments.add(id);
      synchronized (made) {
        return List.copyOf(made);
      }
    });
  }

  /** Undeploys the verticles (cutting any connection still open). */
  Future<Void> undeploy(Vertx vertx) {
    List<Future<?>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.join(undeploys).mapEmpty();
  }
}
