package dev.holdfast.simulator;

import dev.holdfast.role.OpenFileBudget;
import dev.holdfast.role.RoleOptions;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a simulator node adds to the start-up every role shares ({@link dev.holdfast.role.RoleBootstrap}):
 * its event loops, its open-file budget and the check of a share against it, and deploying and
 * undeploying its verticles (keeping them, since the node drives each one).
 */
public final class SimulatorStartup {

  private final OpenFileBudget openFiles;
  private final List<String> deployments = new ArrayList<>();

  SimulatorStartup(SimulatorConfig config) {
    this.openFiles = OpenFileBudget.ofThisProcess(ROLE, config.openFileReserve());
  }

  /** The role name in metrics labels, snapshots and the preflight command. */
  public static final String ROLE = "simulator";

  /**
   * The role options of a simulator node: one event loop per simulator verticle and one more for
   * the node's own work (progress, counts, admin port), so that a ramp saturating the verticles'
   * loops does not hold up the progress line.
   */
  public static RoleOptions roleOptions(SimulatorConfig config) {
    return new RoleOptions(ROLE, config.nodeId()).eventLoops(config.instances() + 1)
        .openFileReserve(config.openFileReserve());
  }

  /** This process's open-file limit (-1 where the OS does not say). */
  long openFiles() {
    return openFiles.openFiles();
  }

  /** How many connections this process can hold: its open-file limit less the configured reserve. */
  long socketsAllowed(SimulatorConfig config) {
    return openFiles.socketsAllowed();
  }

  /** Refuses, before any connection, a share this process cannot hold (a config error on {@code $.population}). */
  void checkOpenFiles(SimulatorConfig config, long share) {
    openFiles.require(share, "$.population",
        config.population() + " gives this simulator node a share of " + share + " connections,",
        "run more simulator nodes, or lower the population");
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
