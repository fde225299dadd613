package dev.holdfast.role;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A started holdfast process, from {@link RoleBootstrap}: its Vert.x, its metrics registry, its
 * open-file budget, and the verticles it deployed, so that a stop undeploys exactly those (each
 * verticle's own stop drains its connections) before Vert.x closes.
 */
public final class RoleRuntime {

  private final RoleOptions options;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final OpenFileBudget openFiles;
  // deploy() is called during start-up, undeploy() at stop, possibly from other threads
  private final List<String> deployments = new ArrayList<>();

  RoleRuntime(RoleOptions options, Vertx vertx, PrometheusMeterRegistry registry) {
    this.options = options;
    this.vertx = vertx;
    this.registry = registry;
    this.openFiles = OpenFileBudget.ofThisProcess(options.role(), options.openFileReserve());
  }

  public RoleOptions options() {
    return options;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The process's one registry: Vert.x's metrics and the role's, every series labelled node and role. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** This process's open-file limit, less the reserve: the sockets it may hold. */
  public OpenFileBudget openFiles() {
    return openFiles;
  }

  /** "native (epoll)" or "NIO", as the banners print it. */
  public String transportName() {
    return vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO";
  }

  /**
   * Deploys {@code instances} verticles made by {@code verticles} (Vert.x spreads instances over the
   * event loops in turn), remembered for {@link #undeploy()}.
   */
  public Future<String> deploy(Supplier<? extends Deployable> verticles, int instances) {
    return vertx.deployVerticle(verticles, new DeploymentOptions().setInstances(instances)).onSuccess(id -> {
      synchronized (deployments) {
        deployments.add(id);
      }
    });
  }

  /**
   * Undeploys every deployment made here, all at once; completes when each has finished stopping,
   * failed if any of them failed.
   */
  public Future<Void> undeploy() {
    List<Future<?>> undeploys = new ArrayList<>();
    synchronized (deployments) {
      for (String id : deployments) {
        undeploys.add(vertx.undeploy(id));
      }
      deployments.clear();
    }
    return Future.join(undeploys).mapEmpty();
  }

  /** Undeploys what is still deployed, then closes Vert.x (and leaves the cluster, if it joined one). */
  public Future<Void> close() {
    return undeploy().transform(ar -> vertx.close());
  }
}
