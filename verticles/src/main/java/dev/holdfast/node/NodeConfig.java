package dev.holdfast.node;

import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import dev.holdfast.role.RoleOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Everything an echo node can be told, each with a default. Read from JSON by {@link #fromJson},
 * where every error names its JSON path; command-line flags are applied to the JSON first.
 */
public final class NodeConfig {

  /** Host the WebSocket port binds to. Loopback by default; {@code 0.0.0.0} on a real server. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** WebSocket port; 0 lets the OS pick. */
  public static final int DEFAULT_PORT = 8080;
  /** Path of the WebSocket endpoint. */
  public static final String DEFAULT_PATH = "/ws";
  /** Host of the admin HTTP port: loopback, so health and metrics are not public by default. */
  public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
  /** Admin HTTP port; 0 lets the OS pick. */
  public static final int DEFAULT_ADMIN_PORT = 9090;
  /** Open files kept back from the socket budget for the JVM, the cluster and the admin port. */
  public static final int DEFAULT_OPEN_FILE_RESERVE = RoleOptions.DEFAULT_OPEN_FILE_RESERVE;
  /** Largest WebSocket frame payload accepted, in bytes; beyond it the connection closes with 1009. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 65_536;
  /** Largest message (all fragments together) accepted, in bytes; beyond it: 1009. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
  /** Value of the Retry-After header sent with a 503. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  /** How long a stop waits for clients to answer its 1001 close frames before cutting them off. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * How often the kernel's count of established sockets is read for metrics and the cluster view;
   * 0 = only when {@code /status} asks. The kernel formats a line per socket of the whole machine
   * for it: at 30,000 sockets a read every second cost 16% of a core here (bench/README.md), so the
   * default is the usual Prometheus scrape interval.
   */
  public static final Duration DEFAULT_OS_COUNT_INTERVAL = Duration.ofSeconds(10);

  private String nodeId = RoleOptions.defaultNodeId(null);
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String path = DEFAULT_PATH;
  private String advertiseHost;
  private String adminHost = DEFAULT_ADMIN_HOST;
  private int adminPort = DEFAULT_ADMIN_PORT;
  private int instances = Runtime.getRuntime().availableProcessors();
  private long maxConnections;
  private int openFileReserve = DEFAULT_OPEN_FILE_RESERVE;
  private boolean compression;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private Duration retryAfter = DEFAULT_RETRY_AFTER;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Duration osCountInterval = DEFAULT_OS_COUNT_INTERVAL;
  private DrainSettings drain = new DrainSettings();
  private ClusterSettings cluster = new ClusterSettings();

  /** Reads a node config; fields left out take their defaults, unknown fields are errors. */
  public static NodeConfig fromJson(JsonObject json) {
    ConfigReader r = ConfigReader.of(json);
    NodeConfig c = new NodeConfig();
    c.nodeId = r.string("nodeId", c.nodeId);
    c.host = r.string("host", c.host);
    c.port = r.integer("port", c.port, 0, 65_535);
    c.path = r.string("path", c.path);
    if (!c.path.startsWith("/")) {
      throw new ConfigException(r.pathOf("path"), "\"" + c.path + "\" is not allowed; use a path starting with /, such as \"/ws\"");
    }
    c.advertiseHost = r.string("advertiseHost", null);
    c.adminHost = r.string("adminHost", c.adminHost);
    c.adminPort = r.integer("adminPort", c.adminPort, 0, 65_535);
    c.instances = r.integer("instances", c.instances, 1, 1024);
    c.maxConnections = r.longInteger("maxConnections", 0, 0, Long.MAX_VALUE);
    c.openFileReserve = r.integer("openFileReserve", c.openFileReserve, 0, 1_000_000);
    c.compression = r.bool("compression", c.compression);
    c.maxFrameBytes = r.integer("maxFrameBytes", c.maxFrameBytes, 125, 64 << 20);
    c.maxMessageBytes = r.integer("maxMessageBytes", c.maxMessageBytes, 125, 256 << 20);
    if (c.maxMessageBytes < c.maxFrameBytes) {
      throw new ConfigException(r.pathOf("maxMessageBytes"), c.maxMessageBytes
          + " is not allowed; use a value at least maxFrameBytes (" + c.maxFrameBytes + ")");
    }
    c.retryAfter = r.duration("retryAfter", c.retryAfter, Duration.ofSeconds(1), Duration.ofHours(1));
    c.closeTimeout = r.duration("closeTimeout", c.closeTimeout, Duration.ZERO, Duration.ofMinutes(10));
    c.osCountInterval = r.duration("osCountInterval", c.osCountInterval, Duration.ZERO, Duration.ofHours(24));
    if (!c.osCountInterval.isZero() && c.osCountInterval.toMillis() < 100) {
      throw new ConfigException(r.pathOf("osCountInterval"), "\"" + Durations.format(c.osCountInterval)
          + "\" is not allowed; use \"0s\" (only on /status) or at least \"100ms\"");
    }
    c.drain = DrainSettings.read(r.object("drain"));
    c.cluster = ClusterSettings.read(r.object("cluster"));
    r.finish();
    return c;
  }

  /** The host that goes into this node's WebSocket URL: the bind host unless it is a wildcard. */
  public String urlHost() {
    if (advertiseHost != null) {
      return advertiseHost;
    }
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  public String nodeId() {
    return nodeId;
  }

  public NodeConfig nodeId(String nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  public String host() {
    return host;
  }

  public NodeConfig host(String host) {
    this.host = host;
    return this;
  }

  public int port() {
    return port;
  }

  public NodeConfig port(int port) {
    this.port = port;
    return this;
  }

  public String path() {
    return path;
  }

  public NodeConfig path(String path) {
    this.path = path;
    return this;
  }

  public String adminHost() {
    return adminHost;
  }

  public int adminPort() {
    return adminPort;
  }

  public NodeConfig adminPort(int adminPort) {
    this.adminPort = adminPort;
    return this;
  }

  public int instances() {
    return instances;
  }

  public NodeConfig instances(int instances) {
    this.instances = instances;
    return this;
  }

  /** The configured connection cap; 0 means "derive it from the open-file limit". */
  public long maxConnections() {
    return maxConnections;
  }

  public NodeConfig maxConnections(long maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  public int openFileReserve() {
    return openFileReserve;
  }

  public boolean compression() {
    return compression;
  }

  public NodeConfig compression(boolean compression) {
    this.compression = compression;
    return this;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public NodeConfig maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public NodeConfig maxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  public NodeConfig closeTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
    return this;
  }

  public Duration osCountInterval() {
    return osCountInterval;
  }

  public NodeConfig osCountInterval(Duration osCountInterval) {
    this.osCountInterval = osCountInterval;
    return this;
  }

  /** How the node drains on SIGTERM or {@code POST /drain}. */
  public DrainSettings drain() {
    return drain;
  }

  public ClusterSettings cluster() {
    return cluster;
  }
}
