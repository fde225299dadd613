package dev.holdfast.node;

import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import dev.holdfast.role.RoleOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

  /** From TCP accept to upgrade done; a connection that takes longer is closed, counted as handshake_timeout. 0 = off. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** A held connection with no traffic for this long is pinged (checked once per period: after 1 to 2 periods). 0 = off. */
  public static final Duration DEFAULT_PING_AFTER = Duration.ofSeconds(60);
  /** A pinged connection that sends nothing (no pong) for this long is closed with 1001. */
  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
  /** Bytes queued for a client past which the node stops reading from it (Netty's high water mark; low is half). */
  public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 65_536;
  /** Most bytes queued for one client; past it the connection is closed with 1008. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1 << 20;
  /** How long a client may stay above the high water mark (not reading) before it is closed with 1008. 0 = off. */
  public static final Duration DEFAULT_OUTBOUND_STALL_TIMEOUT = Duration.ofSeconds(30);

  /** The query parameter that may carry a client's token (else {@code Authorization: Bearer}). */
  public static final String DEFAULT_TOKEN_QUERY_PARAMETER = "access_token";

  /** How often the TLS certificate and key files are checked for a renewal; 0 = never. */
  public static final Duration DEFAULT_TLS_RELOAD_INTERVAL = Duration.ofMinutes(1);

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
  private WarmupSettings warmup = new WarmupSettings();
  private ClusterSettings cluster = new ClusterSettings();
  private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private Duration pingAfter = DEFAULT_PING_AFTER;
  private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
  private int writeBufferHighBytes = DEFAULT_WRITE_BUFFER_HIGH_BYTES;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
  private Duration outboundStallTimeout = DEFAULT_OUTBOUND_STALL_TIMEOUT;
  private int maxConnectionsPerAddress;
  private List<String> allowedOrigins = List.of();
  private String tokenSecret;
  private String tokenAudience;
  private String tokenQueryParameter = DEFAULT_TOKEN_QUERY_PARAMETER;
  private String adminToken;
  private String tlsCertFile;
  private String tlsKeyFile;
  private Duration tlsReloadInterval = DEFAULT_TLS_RELOAD_INTERVAL;

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
    c.handshakeTimeout = offOrAtLeast100ms(r, "handshakeTimeout", c.handshakeTimeout, Duration.ofMinutes(10));
    c.pingAfter = offOrAtLeast100ms(r, "pingAfter", c.pingAfter, Duration.ofHours(24));
    c.pongTimeout = r.duration("pongTimeout", c.pongTimeout, Duration.ofMillis(100), Duration.ofHours(1));
    if (!c.pingAfter.isZero() && c.pongTimeout.compareTo(c.pingAfter) >= 0) {
      throw new ConfigException(r.pathOf("pongTimeout"), "\"" + Durations.format(c.pongTimeout)
          + "\" is not allowed; use a value below pingAfter (\"" + Durations.format(c.pingAfter) + "\")");
    }
    c.writeBufferHighBytes = r.integer("writeBufferHighBytes", c.writeBufferHighBytes, 1024, 64 << 20);
    c.maxOutboundBytes = r.integer("maxOutboundBytes", c.maxOutboundBytes, 1024, Integer.MAX_VALUE);
    long needed = (long) c.maxFrameBytes + c.writeBufferHighBytes;
    if (c.maxOutboundBytes < needed) {
      throw new ConfigException(r.pathOf("maxOutboundBytes"), c.maxOutboundBytes + " is not allowed; use at least"
          + " maxFrameBytes + writeBufferHighBytes (" + needed + "), or one echoed frame would cut a slow client off");
    }
    c.outboundStallTimeout = offOrAtLeast100ms(r, "outboundStallTimeout", c.outboundStallTimeout, Duration.ofHours(1));
    c.maxConnectionsPerAddress = r.integer("maxConnectionsPerAddress", 0, 0, Integer.MAX_VALUE);
    c.allowedOrigins = r.strings("allowedOrigins", c.allowedOrigins);
    c.tokenSecret = r.string("tokenSecret", null);
    String secretFile = r.string("tokenSecretFile", null); // a file keeps the key out of the config and ps
    if (c.tokenSecret != null && secretFile != null) {
      throw new ConfigException(r.pathOf("tokenSecretFile"), "is not allowed beside tokenSecret; give one of the two");
    }
    if (secretFile != null) {
      c.tokenSecret = readSecret(r.pathOf("tokenSecretFile"), secretFile);
    }
    if (c.tokenSecret != null && c.tokenSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException(r.pathOf(secretFile != null ? "tokenSecretFile" : "tokenSecret"),
          "is too short; use a key of at least 32 bytes (HMAC-SHA256), e.g. `openssl rand -base64 32`");
    }
    c.tokenAudience = r.string("tokenAudience", null);
    c.tokenQueryParameter = r.string("tokenQueryParameter", c.tokenQueryParameter);
    c.adminToken = r.string("adminToken", null);
    c.tlsCertFile = r.string("tlsCertFile", null);
    c.tlsKeyFile = r.string("tlsKeyFile", null);
    if ((c.tlsCertFile == null) != (c.tlsKeyFile == null)) {
      throw new ConfigException(r.pathOf(c.tlsCertFile == null ? "tlsCertFile" : "tlsKeyFile"),
          "is missing; TLS needs both tlsCertFile and tlsKeyFile (PEM), or neither");
    }
    c.tlsReloadInterval = offOrAtLeast100ms(r, "tlsReloadInterval", c.tlsReloadInterval, Duration.ofDays(1));
    c.drain = DrainSettings.read(r.object("drain"));
    c.warmup = WarmupSettings.read(r.object("warmup"));
    c.cluster = ClusterSettings.read(r.object("cluster"));
    r.finish();
    return c;
  }

  private static String readSecret(String path, String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new ConfigException(path, "\"" + file + "\" cannot be read (" + e.getMessage() + "); give a readable file");
    }
  }

  private static Duration offOrAtLeast100ms(ConfigReader r, String field, Duration def, Duration max) {
    Duration d = r.duration(field, def, Duration.ZERO, max);
    if (!d.isZero() && d.toMillis() < 100) {
      throw new ConfigException(r.pathOf(field), "\"" + Durations.format(d)
          + "\" is not allowed; use \"0s\" (off) or at least \"100ms\"");
    }
    return d;
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

  /** How the node warms up its handshake and echo paths before it reports ready. */
  public WarmupSettings warmup() {
    return warmup;
  }

  public ClusterSettings cluster() {
    return cluster;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public NodeConfig handshakeTimeout(Duration handshakeTimeout) {
    this.handshakeTimeout = handshakeTimeout;
    return this;
  }

  public Duration pingAfter() {
    return pingAfter;
  }

  public NodeConfig pingAfter(Duration pingAfter) {
    this.pingAfter = pingAfter;
    return this;
  }

  public Duration pongTimeout() {
    return pongTimeout;
  }

  public NodeConfig pongTimeout(Duration pongTimeout) {
    this.pongTimeout = pongTimeout;
    return this;
  }

  public int writeBufferHighBytes() {
    return writeBufferHighBytes;
  }

  public NodeConfig writeBufferHighBytes(int writeBufferHighBytes) {
    this.writeBufferHighBytes = writeBufferHighBytes;
    return this;
  }

  public int maxOutboundBytes() {
    return maxOutboundBytes;
  }

  public NodeConfig maxOutboundBytes(int maxOutboundBytes) {
    this.maxOutboundBytes = maxOutboundBytes;
    return this;
  }

  public Duration outboundStallTimeout() {
    return outboundStallTimeout;
  }

  public NodeConfig outboundStallTimeout(Duration outboundStallTimeout) {
    this.outboundStallTimeout = outboundStallTimeout;
    return this;
  }

  /** At most this many connections from one client address; 0 = no cap. */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public NodeConfig maxConnectionsPerAddress(int maxConnectionsPerAddress) {
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    return this;
  }

  /** The Origin header values accepted at the handshake; empty = any (and none). */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public NodeConfig allowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    return this;
  }

  /** The HMAC-SHA256 key for handshake tokens; null = no token needed. */
  public String tokenSecret() {
    return tokenSecret;
  }

  public NodeConfig tokenSecret(String tokenSecret) {
    this.tokenSecret = tokenSecret;
    return this;
  }

  /** The audience a token must name in {@code aud}; null = not checked. */
  public String tokenAudience() {
    return tokenAudience;
  }

  public NodeConfig tokenAudience(String tokenAudience) {
    this.tokenAudience = tokenAudience;
    return this;
  }

  public String tokenQueryParameter() {
    return tokenQueryParameter;
  }

  /** The bearer token the admin port asks for (except on /health and /ready); null = none. */
  public String adminToken() {
    return adminToken;
  }

  public NodeConfig adminToken(String adminToken) {
    this.adminToken = adminToken;
    return this;
  }

  /** The PEM certificate chain of the WebSocket port (wss://); null = plain ws://. */
  public String tlsCertFile() {
    return tlsCertFile;
  }

  /** The PEM (PKCS#8) private key of {@link #tlsCertFile}. */
  public String tlsKeyFile() {
    return tlsKeyFile;
  }

  public NodeConfig tls(String certFile, String keyFile) {
    this.tlsCertFile = certFile;
    this.tlsKeyFile = keyFile;
    return this;
  }

  public Duration tlsReloadInterval() {
    return tlsReloadInterval;
  }

  public NodeConfig tlsReloadInterval(Duration tlsReloadInterval) {
    this.tlsReloadInterval = tlsReloadInterval;
    return this;
  }
}
