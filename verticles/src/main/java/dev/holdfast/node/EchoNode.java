package dev.holdfast.node;

import dev.holdfast.admin.AdminServer;
import dev.holdfast.cluster.NodeSnapshot;
import dev.holdfast.config.ConfigException;
import dev.holdfast.metrics.EventLoopDelay;
import dev.holdfast.node.ConnectionLedger.Rejection;
import dev.holdfast.os.KernelCounter;
import dev.holdfast.os.KernelSockets;
import dev.holdfast.os.SocketFilter;
import dev.holdfast.role.OpenFileBudget;
import dev.holdfast.role.RoleOptions;
import dev.holdfast.role.RoleRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * An echo node: echo verticles on every event loop of one Vert.x instance, the admission cap, the
 * OS's count of established sockets beside the node's own, and the admin HTTP port.
 */
public final class EchoNode {

  private static final Logger LOG = Logger.getLogger(EchoNode.class.getName());

  private final RoleRuntime runtime;
  private final Vertx vertx;
  private final NodeConfig config;
  private final PrometheusMeterRegistry registry;
  private final ConnectionLedger[] ledgers;
  private final Admission admission;
  private final long openFiles;
  private final long socketsAllowed;
  private final List<EchoVerticle> verticles = new ArrayList<>();
  private int port;
  private String wsUrl;
  private HttpServer admin;
  private volatile long osEstablished = -1;
  // only this process's accepted sockets on its port, on the process's kernel-count thread, with a deadline
  private final KernelCounter osCounter = KernelCounter.of(KernelSockets.system(),
      () -> SocketFilter.localPorts(port).ownedByThisProcess(), KernelCounter.DEFAULT_DEADLINE);
  private volatile boolean ready;
  private DrainPace pace;
  private Future<Void> stopped;
  private volatile Runnable drainRequested = this::stop;
  private volatile Supplier<JsonObject> clusterStatus = () -> new JsonObject().put("enabled", false);

  private EchoNode(RoleRuntime runtime, NodeConfig config, long openFiles, long socketsAllowed, long maxConnections) {
    this.runtime = runtime;
    this.vertx = runtime.vertx();
    this.config = config;
    this.registry = runtime.registry();
    this.openFiles = openFiles;
    this.socketsAllowed = socketsAllowed;
    this.ledgers = new ConnectionLedger[config.instances()];
    for (int i = 0; i < ledgers.length; i++) {
      ledgers[i] = new ConnectionLedger();
    }
    this.admission = new Admission(ledgers, maxConnections);
  }

  /**
   * What {@link dev.holdfast.role.RoleBootstrap} needs to start a node's process: one event loop
   * per echo verticle instance, the node id and open-file reserve of this config.
   */
  public static RoleOptions roleOptions(NodeConfig config) {
    return new RoleOptions("node", config.nodeId())
        .eventLoops(config.instances())
        .openFileReserve(config.openFileReserve());
  }

  /**
   * Checks the config against this process's limits, then deploys the echo verticles and the admin
   * port on {@code runtime} (started from {@link #roleOptions}). Limit and port problems are
   * {@link ConfigException}s, raised before anything is deployed.
   *
   * @param extraRoutes adds endpoints (such as the cluster view) to the admin port
   */
  public static Future<EchoNode> launch(NodeConfig config, RoleRuntime runtime, Consumer<Router> extraRoutes) {
    OpenFileBudget budget = runtime.openFiles();
    long allowed = budget.socketsAllowed();
    long max = config.maxConnections() == 0 ? allowed : config.maxConnections();
    try {
      budget.require(max, "$.maxConnections", max + " is", "lower --max-connections");
      if (max == 0) {
        throw new ConfigException("$.openFileReserve", "leaves no sockets: the open-file limit is "
            + budget.openFiles() + "; lower the reserve or raise the limit (`" + budget.preflightCommand(1)
            + "` prints the exact fix)");
      }
      checkPortFree(config.host(), config.port());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    EchoNode node = new EchoNode(runtime, config, budget.openFiles(), allowed, max);
    return node.start(extraRoutes).map(node);
  }

  /**
   * Every echo instance binds the port with SO_REUSEPORT, which would let a second node on the same
   * port silently share its traffic; so first make sure nobody holds the port.
   */
  private static void checkPortFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new ConfigException("$.port", port + " on " + host + " is not free (" + e.getMessage()
          + "); stop what holds it or pick another --port");
    }
  }

  private Future<Void> start(Consumer<Router> extraRoutes) {
    boolean reusePort = config.instances() > 1;
    // Warm up on a port of its own first; then the first instance binds the configured port
    // (perhaps 0: then the OS picks), and the rest join it.
    return LoopbackWarmup.run(vertx, config).compose(w -> deploy(config.port(), 1, reusePort)).compose(v -> {
      port = verticles.get(0).boundPort();
      wsUrl = (config.tlsCertFile() != null ? "wss://" : "ws://") + config.urlHost() + ":" + port + config.path();
      return config.instances() > 1 ? deploy(port, config.instances() - 1, true) : Future.succeededFuture();
    }).compose(v -> {
      warnIfLoopsShared();
      NodeMetrics.register(registry, this);
      EventLoopDelay.watch(vertx, registry);
      sampleOs();
      if (!config.osCountInterval().isZero()) {
        vertx.setPeriodic(config.osCountInterval().toMillis(), id -> sampleOs());
      }
      return AdminServer.start(vertx, config.adminHost(), config.adminPort(), registry, () -> ready, router -> {
        AdminToken.protect(router, config.adminToken()); // before every route: it is given order -1
        router.get("/status").handler(rc -> {
          // a reader's rate is not the count's rate: the last periodic count unless ?fresh=true (or no periodic count)
          if (!"true".equals(rc.request().getParam("fresh")) && !config.osCountInterval().isZero()) {
            AdminServer.json(rc, 200, status(osEstablished, false));
            return;
          }
          Future.fromCompletionStage(countOs(), vertx.getOrCreateContext())
              .onSuccess(os -> AdminServer.json(rc, 200, status(os, true)))
              .onFailure(rc::fail);
        });
        router.post("/drain").handler(rc -> {
          beginDrain();
          AdminServer.json(rc, 202, new JsonObject().put("draining", true).put("held", held())
              .put("boundMs", drainBound().toMillis()));
          drainRequested.run();
        });
        extraRoutes.accept(router);
      });
    }).map(server -> {
      admin = server;
      ready = true;
      return null;
    });
  }

  private Future<Void> deploy(int port, int instances, boolean reusePort) {
    return runtime.deploy(() -> {
      synchronized (verticles) {
        EchoVerticle v = new EchoVerticle(config, port, reusePort, admission, ledgers[verticles.size()], this::drainPace);
        verticles.add(v);
        return v;
      }
    }, instances).mapEmpty();
  }

  /** Vert.x hands event loops to contexts in turn; the echo instances, deployed first, get one each. */
  private void warnIfLoopsShared() {
    Set<Object> loops = new HashSet<>();
    for (EchoVerticle v : verticles) {
      loops.add(v.eventLoop());
    }
    if (loops.size() != verticles.size()) {
      LOG.warning(verticles.size() + " echo verticle instances share " + loops.size() + " event loops");
    }
  }

  private void sampleOs() {
    countOs();
  }

  private CompletableFuture<Long> countOs() {
    return osCounter.count().thenApply(n -> osEstablished = n);
  }

  /**
   * The first step of a drain, at once: {@code /ready} answers 503 and new handshakes are refused
   * with 503 and Retry-After. The caller then leaves the cluster view and calls {@link #stop}.
   */
  public void beginDrain() {
    ready = false;
    admission.startDraining();
  }

  /**
   * Drains: stops accepting, closes every held connection with 1001 spread evenly over the drain
   * window ({@link DrainSettings}), waits up to the close timeout for the clients' answers, then
   * closes the admin port. Calling it again returns the same drain.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      beginDrain();
      LOG.info("draining " + held() + " connections over " + drainPace().length().toMillis() + " ms");
      // each echo verticle's stop closes its own connections on the pace set above
      stopped = runtime.undeploy().transform(ar -> admin == null ? Future.succeededFuture() : admin.close());
    }
    return stopped;
  }

  /**
   * The longest a drain of what is held now may take: its length plus the close timeout, after
   * which the remaining connections are cut.
   */
  public Duration drainBound() {
    return drainPace().length().plus(config.closeTimeout());
  }

  /** The pace of this node's one drain, planned from what it holds when the drain (or an undeploy) begins. */
  private synchronized DrainPace drainPace() {
    if (pace == null) {
      pace = DrainPace.plan(held(), config.drain());
    }
    return pace;
  }

  /** What {@code POST /drain} at the admin port does; by default {@link #stop}, the process's own exit is the caller's. */
  public void onDrainRequested(Runnable action) {
    this.drainRequested = action;
  }

  /** The node's state as {@code GET /status?fresh=true} shows it, with this OS count, just read. */
  public JsonObject status(long os) {
    return status(os, true);
  }

  /**
   * The node's state as {@code GET /status} shows it, with this OS count: {@code fresh} when it was
   * read for this answer, else the last periodic one, whose time and age the answer gives.
   */
  private JsonObject status(long os, boolean fresh) {
    JsonObject byReason = new JsonObject();
    for (Rejection r : Rejection.values()) {
      byReason.put(r.label(), rejected(r));
    }
    JsonObject byCode = new JsonObject();
    for (int i = 0; i <= ConnectionLedger.CLOSE_CODES.length; i++) {
      byCode.put(closeCodeLabel(i), closedByIndex(i));
    }
    return new JsonObject()
        .put("nodeId", config.nodeId())
        .put("wsUrl", wsUrl)
        .put("ready", ready)
        .put("instances", config.instances())
        .put("transport", vertx.isNativeTransportEnabled() ? "native" : "nio")
        .put("connections", new JsonObject()
            .put("held", held())
            .put("opened", opened())
            .put("closed", closed())
            .put("rejected", rejected())
            .put("rejectedByReason", byReason)
            .put("closedByCode", byCode))
        .put("messages", new JsonObject().put("echoed", messages()).put("bytes", bytes()))
        .put("os", new JsonObject().put("established", os).put("method", osCounter.method()).put("fresh", fresh)
            .put("countedAtMs", osCounter.lastAtMillis()).put("ageMs", osCounter.lastAgeMillis())
            .put("intervalMs", config.osCountInterval().toMillis()))
        .put("cluster", clusterStatus.get())
        .put("limits", new JsonObject()
            .put("openFiles", openFiles)
            .put("openFileReserve", config.openFileReserve())
            .put("socketsAllowed", socketsAllowed)
            .put("maxConnections", admission.maxConnections()));
  }

  /** This node's counts as it publishes them to the cluster view (member id and time filled in there). */
  public NodeSnapshot snapshot() {
    return new NodeSnapshot(config.nodeId(), null, NodeSnapshot.ROLE_NODE, wsUrl, held(), opened(), closed(), rejected(),
        osEstablished, 0);
  }

  /** What {@code /status} says of the cluster (name, members); standalone until set. */
  public void clusterStatus(Supplier<JsonObject> status) {
    this.clusterStatus = status;
  }

  static String closeCodeLabel(int index) {
    return index < ConnectionLedger.CLOSE_CODES.length ? Integer.toString(ConnectionLedger.CLOSE_CODES[index]) : "other";
  }

  public NodeConfig config() {
    return config;
  }

  public String nodeId() {
    return config.nodeId();
  }

  public String wsUrl() {
    return wsUrl;
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public boolean ready() {
    return ready;
  }

  public long openFiles() {
    return openFiles;
  }

  public long socketsAllowed() {
    return socketsAllowed;
  }

  public long maxConnections() {
    return admission.maxConnections();
  }

  /** The OS's count of established sockets on the WebSocket port, as last sampled (-1 before the first). */
  public long osEstablished() {
    return osEstablished;
  }

  /** How old the kernel count {@link #osEstablished()} shows is, in seconds; -1 before the first. */
  double osCountAgeSeconds() {
    long ms = osCounter.lastAgeMillis();
    return ms < 0 ? -1 : ms / 1000.0;
  }

  /** The kernel count's runner: its method, durations and missed counts, for the metrics. */
  KernelCounter osCounter() {
    return osCounter;
  }

  public long held() {
    return sum(ConnectionLedger::held);
  }

  public long opened() {
    return sum(ConnectionLedger::opened);
  }

  public long closed() {
    return sum(ConnectionLedger::closed);
  }

  public long rejected() {
    return sum(ConnectionLedger::rejected);
  }

  long rejected(Rejection reason) {
    return sum(l -> l.rejected(reason));
  }

  long closedByIndex(int i) {
    return sum(l -> l.closedByIndex(i));
  }

  public long messages() {
    return sum(ConnectionLedger::messages);
  }

  public long bytes() {
    return sum(ConnectionLedger::bytes);
  }

  private long sum(ToLongFunction<ConnectionLedger> count) {
    long n = 0;
    for (ConnectionLedger l : ledgers) {
      n += count.applyAsLong(l);
    }
    return n;
  }
}
