package dev.holdfast.node;

import dev.holdfast.admin.AdminServer;
import dev.holdfast.cluster.NodeSnapshot;
import dev.holdfast.config.ConfigException;
import dev.holdfast.metrics.EventLoopDelay;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.node.ConnectionLedger.Rejection;
import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.os.ProcNetTcp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  private final Vertx vertx;
  private final NodeConfig config;
  private final PrometheusMeterRegistry registry;
  private final ConnectionLedger[] ledgers;
  private final Admission admission;
  private final long openFiles;
  private final long socketsAllowed;
  private final List<String> deployments = new ArrayList<>();
  private final List<EchoVerticle> verticles = new ArrayList<>();
  private int port;
  private String wsUrl;
  private HttpServer admin;
  private volatile long osEstablished = -1;
  private volatile boolean ready;
  private volatile Supplier<JsonObject> clusterStatus = () -> new JsonObject().put("enabled", false);

  private EchoNode(Vertx vertx, NodeConfig config, PrometheusMeterRegistry registry, long openFiles, long socketsAllowed,
      long maxConnections) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.openFiles = openFiles;
    this.socketsAllowed = socketsAllowed;
    this.ledgers = new ConnectionLedger[config.instances()];
    for (int i = 0; i < ledgers.length; i++) {
      ledgers[i] = new ConnectionLedger();
    }
    this.admission = new Admission(ledgers, maxConnections);
  }

  /**
   * Checks the config against this process's limits, then starts Vert.x and the node. Limit and
   * port problems are {@link ConfigException}s, raised before anything starts.
   *
   * @param extraRoutes adds endpoints (such as the cluster view) to the admin port
   */
  public static Future<EchoNode> launch(NodeConfig config, Vertx vertx, PrometheusMeterRegistry registry,
      Consumer<Router> extraRoutes) {
    long openFiles = OpenFileLimit.max();
    long allowed = OpenFileLimit.socketsAllowed(openFiles, config.openFileReserve());
    long max = config.maxConnections() == 0 ? allowed : config.maxConnections();
    if (max > allowed) {
      return Future.failedFuture(new ConfigException("$.maxConnections", max + " is more than this process can hold: "
          + "its open-file limit is " + openFiles + ", less a reserve of " + config.openFileReserve()
          + " leaves " + allowed + " sockets. Raise the limit (ulimit -n, or LimitNOFILE= in a systemd unit; "
          + "see README, \"OS tuning\") or lower --max-connections"));
    }
    if (max == 0) {
      return Future.failedFuture(new ConfigException("$.openFileReserve", "leaves no sockets: the open-file limit is "
          + openFiles + "; lower the reserve or raise the limit"));
    }
    try {
      checkPortFree(config.host(), config.port());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    EchoNode node = new EchoNode(vertx, config, registry, openFiles, allowed, max);
    return node.start(extraRoutes).map(node);
  }

  /** Vert.x options for a node: one event loop per echo verticle instance, native transport, metrics. */
  public static VertxOptions vertxOptions(NodeConfig config) {
    return new VertxOptions()
        .setEventLoopPoolSize(config.instances())
        .setPreferNativeTransport(true)
        .setMetricsOptions(Metrics.vertxMetricsOptions());
  }

  /** A standalone (unclustered) Vert.x for a node, reporting into {@code registry}. */
  public static Vertx standaloneVertx(NodeConfig config, PrometheusMeterRegistry registry) {
    return Vertx.builder().with(vertxOptions(config)).withMetrics(new MicrometerMetricsFactory(registry)).build();
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
    // The first instance binds the configured port (perhaps 0: then the OS picks); the rest join it.
    return deploy(config.port(), 1, reusePort).compose(v -> {
      port = verticles.get(0).boundPort();
      wsUrl = "ws://" + config.urlHost() + ":" + port + config.path();
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
        router.get("/status").handler(rc -> vertx.executeBlocking(this::countOs)
            .onSuccess(os -> AdminServer.json(rc, 200, status(os)))
            .onFailure(rc::fail));
        extraRoutes.accept(router);
      });
    }).map(server -> {
      admin = server;
      ready = true;
      return null;
    });
  }

  private Future<Void> deploy(int port, int instances, boolean reusePort) {
    return vertx.deployVerticle(() -> {
      synchronized (verticles) {
        EchoVerticle v = new EchoVerticle(config, port, reusePort, admission, ledgers[verticles.size()]);
        verticles.add(v);
        return v;
      }
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      deployments.add(id);
      return null;
    });
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
    vertx.executeBlocking(this::countOs);
  }

  private long countOs() {
    long n = ProcNetTcp.countEstablishedOnLocalPort(port);
    osEstablished = n;
    return n;
  }

  /**
   * Stops accepting, leaves readiness, closes every held connection with 1001 (waiting up to the
   * close timeout for the clients' answers), then closes the admin port.
   */
  public Future<Void> stop() {
    ready = false;
    admission.startDraining();
    List<Future<?>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.join(undeploys).transform(ar -> admin == null ? Future.succeededFuture() : admin.close());
  }

  /** The node's state as {@code GET /status} shows it, with this OS count. */
  public JsonObject status(long os) {
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
        .put("os", new JsonObject().put("established", os))
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
