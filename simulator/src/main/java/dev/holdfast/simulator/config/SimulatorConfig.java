package dev.holdfast.simulator.config;

import dev.holdfast.role.RoleOptions;
import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a simulator node can be told, each with a default. Read from JSON by
 * {@link #fromJson}, where every error names its JSON path, the bad value and what is allowed;
 * unknown fields are errors. Command-line flags are applied to the JSON first.
 *
 * <p>Rates and bounds that concern the whole population ({@code population},
 * {@code ramp.perSecond}, {@code ramp.inFlight}) are fleet-wide: each simulator node and each of
 * its verticles takes the part proportional to its share of the population.
 */
public final class SimulatorConfig {

  /** The value of {@code targets} that means "discover the echo nodes from the cluster view". */
  public static final String CLUSTER_TARGETS = "cluster";
  /** Where connections go when no target is configured: a local echo node on its default port. */
  public static final List<String> DEFAULT_TARGETS = List.of("ws://127.0.0.1:8080/ws");
  /** Connections held across all simulator nodes. */
  public static final long DEFAULT_POPULATION = 1000;
  /** How far (as a fraction of the population) the held count may stray once the ramp is done. */
  public static final double DEFAULT_TOLERANCE = 0.05;
  /** How long the run holds the population, ramp included; settling and closing come after. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
  /** Granularity of each verticle's schedule of sends, closes and reopens. */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(10);
  /** Time allowed for a TCP connect plus the WebSocket handshake. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** After the hold: how long to wait for reopens and outstanding echoes before the final counts. */
  public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(10);
  /** How long a close waits for the server's answering close frame before cutting the socket. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** How often the progress line is printed and the timeline sampled. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);
  /**
   * How often the kernel's count of this simulator's sockets is read during the run: 5 s, the
   * default progress interval, so a default run counts as often as before; a shorter progress
   * interval (the demo's 1 s) no longer multiplies the counts, whose cost grows with the own sockets.
   */
  public static final Duration DEFAULT_OS_COUNT_INTERVAL = Duration.ofSeconds(5);
  /** Host of the admin HTTP port: loopback, so metrics are not public by default. */
  public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
  /** Admin HTTP port of a simulator node; 0 lets the OS pick. */
  public static final int DEFAULT_ADMIN_PORT = 9190;
  /** Open files kept back from the socket budget for the JVM, the admin port and the cluster. */
  public static final int DEFAULT_OPEN_FILE_RESERVE = 500;

  private String nodeId = RoleOptions.defaultNodeId("sim");
  private boolean clusterTargets;
  private List<URI> targets = parseDefaultTargets();
  private long population = DEFAULT_POPULATION;
  private double tolerance = DEFAULT_TOLERANCE;
  private int instances = Runtime.getRuntime().availableProcessors();
  private RampOptions ramp = new RampOptions();
  private ChurnOptions churn = new ChurnOptions();
  private MessagesOptions messages = new MessagesOptions();
  private List<String> sourceAddresses = List.of();
  private Duration duration = DEFAULT_DURATION;
  private Duration tick = DEFAULT_TICK;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration settleTimeout = DEFAULT_SETTLE_TIMEOUT;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private BackoffOptions backoff = new BackoffOptions();
  private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
  private Duration osCountInterval = DEFAULT_OS_COUNT_INTERVAL;
  private String adminHost = DEFAULT_ADMIN_HOST;
  private int adminPort = DEFAULT_ADMIN_PORT;
  private int openFileReserve = DEFAULT_OPEN_FILE_RESERVE;
  private List<URI> nodeStatusUrls = List.of();
  private Long seed;
  private ReportOptions report = new ReportOptions();
  private ClusterSettings cluster = new ClusterSettings();
  private ThresholdOptions thresholds = new ThresholdOptions();
  private SecurityOptions security = new SecurityOptions();

  /** Reads a simulator config; fields left out take their defaults, unknown fields are errors. */
  public static SimulatorConfig fromJson(JsonObject json) {
    JsonObject in = json == null ? new JsonObject() : json;
    ConfigReader r = ConfigReader.of(in);
    SimulatorConfig c = new SimulatorConfig();
    c.nodeId = r.string("nodeId", c.nodeId);
    if (in.getValue("targets") instanceof String) {
      AddressFields.clusterTargets(r);
      c.clusterTargets = true;
      c.targets = List.of();
    } else {
      c.targets = AddressFields.targets(r, DEFAULT_TARGETS);
    }
    c.population = r.longInteger("population", c.population, 0, 1_000_000_000_000L);
    c.tolerance = r.number("tolerance", c.tolerance, 0, 1);
    c.instances = r.integer("instances", c.instances, 1, 1024);
    c.duration = r.duration("duration", c.duration, Duration.ofSeconds(1), Duration.ofDays(30));
    c.tick = r.duration("tick", c.tick, Duration.ofMillis(1), Duration.ofMillis(100));
    c.ramp = RampOptions.read(r.object("ramp"));
    c.churn = ChurnOptions.read(r.object("churn"), c.duration);
    c.messages = MessagesOptions.read(r.object("messages"), c.tick);
    c.sourceAddresses = AddressFields.sourceAddresses(r);
    c.connectTimeout = r.duration("connectTimeout", c.connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(10));
    c.settleTimeout = r.duration("settleTimeout", c.settleTimeout, Duration.ZERO, Duration.ofHours(1));
    c.closeTimeout = r.duration("closeTimeout", c.closeTimeout, Duration.ZERO, Duration.ofMinutes(10));
    c.backoff = BackoffOptions.read(r.object("backoff"));
    c.progressInterval = r.duration("progressInterval", c.progressInterval, Duration.ofMillis(100), Duration.ofHours(1));
    c.osCountInterval = r.duration("osCountInterval", c.osCountInterval, Duration.ZERO, Duration.ofHours(1));
    if (!c.osCountInterval.isZero() && c.osCountInterval.toMillis() < 100) {
      throw new ConfigException(r.pathOf("osCountInterval"), "\"" + Durations.format(c.osCountInterval)
          + "\" is not allowed; use \"0s\" (only the final count) or at least \"100ms\"");
    }
    c.adminHost = r.string("adminHost", c.adminHost);
    c.adminPort = r.integer("adminPort", c.adminPort, 0, 65_535);
    c.openFileReserve = r.integer("openFileReserve", c.openFileReserve, 0, 1_000_000);
    c.nodeStatusUrls = AddressFields.statusUrls(r);
    c.seed = r.has("seed") ? r.longInteger("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    c.report = ReportOptions.read(r.object("report"));
    c.cluster = ClusterSettings.read(r.object("cluster"));
    c.thresholds = ThresholdOptions.read(r.object("thresholds"));
    c.security = SecurityOptions.read(r.object("security"));
    r.finish();
    CrossFieldChecks.check(c, r);
    return c;
  }

  /** Parses and checks a {@code ws://} or {@code wss://host:port/path} URL; the error names {@code at}. */
  public static URI parseWebSocketUrl(String at, String url) {
    return AddressFields.webSocketUrl(at, url);
  }

  private static List<URI> parseDefaultTargets() {
    return List.of(URI.create(DEFAULT_TARGETS.get(0)));
  }

  /**
   * The config as it was read: the JSON given, with every default filled in. {@link #fromJson} reads
   * it back as an equal config (every field, nested ones included).
   */
  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    targets.forEach(u -> t.add(u.toString()));
    JsonArray status = new JsonArray();
    nodeStatusUrls.forEach(u -> status.add(u.toString()));
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("targets", clusterTargets ? CLUSTER_TARGETS : t)
        .put("population", population)
        .put("tolerance", tolerance)
        .put("instances", instances)
        .put("ramp", ramp.toJson())
        .put("churn", churn.toJson())
        .put("messages", messages.toJson())
        .put("sourceAddresses", new JsonArray(new ArrayList<>(sourceAddresses)))
        .put("duration", Durations.format(duration))
        .put("tick", Durations.format(tick))
        .put("connectTimeout", Durations.format(connectTimeout))
        .put("settleTimeout", Durations.format(settleTimeout))
        .put("closeTimeout", Durations.format(closeTimeout))
        .put("backoff", backoff.toJson())
        .put("progressInterval", Durations.format(progressInterval))
        .put("osCountInterval", Durations.format(osCountInterval))
        .put("adminHost", adminHost)
        .put("adminPort", adminPort)
        .put("openFileReserve", openFileReserve)
        .put("nodeStatusUrls", status)
        .put("seed", seed)
        .put("report", report.toJson())
        .put("cluster", cluster.toJson())
        .put("thresholds", thresholds.toJson())
        .put("security", security.toJson());
  }

  /** What a hardened node asks of each connection: TLS trust, a token, an origin ({@link SecurityOptions}). */
  public SecurityOptions security() {
    return security;
  }

  /** Pass/fail thresholds of the run ({@code $.thresholds}); the verdict follows them. */
  public ThresholdOptions thresholds() {
    return thresholds;
  }

  /** This simulator node's id in the cluster and in metrics. Default: hostname-pid-sim. */
  public String nodeId() {
    return nodeId;
  }

  public SimulatorConfig nodeId(String nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  /** True when {@code targets} is {@code "cluster"}: the echo nodes come from the cluster view. */
  public boolean clusterTargets() {
    return clusterTargets;
  }

  /** The WebSocket URLs to connect to (empty when {@link #clusterTargets()}). Default {@link #DEFAULT_TARGETS}. */
  public List<URI> targets() {
    return targets;
  }

  /** Sets the target URLs from strings, checked as the JSON field would be. */
  public SimulatorConfig targets(List<String> urls) {
    this.targets = AddressFields.webSocketUrls("$.targets", urls);
    this.clusterTargets = false;
    return this;
  }

  /** Connections to hold across all simulator nodes. Default {@value #DEFAULT_POPULATION}. */
  public long population() {
    return population;
  }

  public SimulatorConfig population(long population) {
    this.population = population;
    return this;
  }

  /** Allowed deviation of the held count from the target, as a fraction of it, once ramped. Default 0.05. */
  public double tolerance() {
    return tolerance;
  }

  public SimulatorConfig tolerance(double tolerance) {
    this.tolerance = tolerance;
    return this;
  }

  /** Simulator verticle instances, one per event loop. Default: the number of cores. */
  public int instances() {
    return instances;
  }

  public SimulatorConfig instances(int instances) {
    this.instances = instances;
    return this;
  }

  /** How fast connections open ({@link RampOptions}). */
  public RampOptions ramp() {
    return ramp;
  }

  /** How the population churns ({@link ChurnOptions}). */
  public ChurnOptions churn() {
    return churn;
  }

  /** What each connection sends ({@link MessagesOptions}). */
  public MessagesOptions messages() {
    return messages;
  }

  /**
   * Local addresses connections are bound to, spread evenly over the population so that no single
   * address runs out of ephemeral ports. Empty (the default) lets the OS choose.
   */
  public List<String> sourceAddresses() {
    return sourceAddresses;
  }

  public SimulatorConfig sourceAddresses(List<String> addresses) {
    this.sourceAddresses = List.copyOf(addresses);
    return this;
  }

  /** How long the population is held, ramp included. Default 60 s. */
  public Duration duration() {
    return duration;
  }

  public SimulatorConfig duration(Duration duration) {
    this.duration = duration;
    return this;
  }

  /** Granularity of each verticle's schedule, 1 ms to 100 ms. Default 10 ms. */
  public Duration tick() {
    return tick;
  }

  public SimulatorConfig tick(Duration tick) {
    this.tick = tick;
    return this;
  }

  /** Time allowed for TCP connect plus WebSocket handshake. Default 5 s. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  public SimulatorConfig connectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  /** After the hold, the longest wait for reopens and outstanding echoes before the final counts. Default 10 s. */
  public Duration settleTimeout() {
    return settleTimeout;
  }

  public SimulatorConfig settleTimeout(Duration settleTimeout) {
    this.settleTimeout = settleTimeout;
    return this;
  }

  /** How long a close waits for the server's answering close frame. Default 5 s. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  public SimulatorConfig closeTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
    return this;
  }

  /** Backoff after failures ({@link BackoffOptions}). */
  public BackoffOptions backoff() {
    return backoff;
  }

  /** How often the progress line is printed and the timeline sampled. Default 5 s. */
  public Duration progressInterval() {
    return progressInterval;
  }

  public SimulatorConfig progressInterval(Duration progressInterval) {
    this.progressInterval = progressInterval;
    return this;
  }

  /**
   * How often the kernel's count of this simulator's sockets is read during the run, at the
   * progress ticks (so at least a progress interval apart); the progress lines and {@code /status}
   * show the last one between. 0 = only the final count, which is always read afresh. Default 5 s.
   */
  public Duration osCountInterval() {
    return osCountInterval;
  }

  public SimulatorConfig osCountInterval(Duration osCountInterval) {
    this.osCountInterval = osCountInterval;
    return this;
  }

  /** Host of the admin HTTP port. Default 127.0.0.1. */
  public String adminHost() {
    return adminHost;
  }

  public SimulatorConfig adminHost(String adminHost) {
    this.adminHost = adminHost;
    return this;
  }

  /** Admin HTTP port ({@code /health /ready /status /metrics}); 0 = any free port. Default 9190. */
  public int adminPort() {
    return adminPort;
  }

  public SimulatorConfig adminPort(int adminPort) {
    this.adminPort = adminPort;
    return this;
  }

  /** Open files kept back from the socket budget. Default 500. */
  public int openFileReserve() {
    return openFileReserve;
  }

  public SimulatorConfig openFileReserve(int openFileReserve) {
    this.openFileReserve = openFileReserve;
    return this;
  }

  /**
   * Status URLs ({@code http://host:adminPort/status}) of the echo nodes, whose summed
   * {@code connections.held} is the servers' count when no cluster view is available. Default none.
   */
  public List<URI> nodeStatusUrls() {
    return nodeStatusUrls;
  }

  /** Seed of the simulator's random choices (lifetimes, delays, phases); null = a fresh seed per run. */
  public Long seed() {
    return seed;
  }

  public SimulatorConfig seed(Long seed) {
    this.seed = seed;
    return this;
  }

  /** Where the report files go ({@link ReportOptions}). */
  public ReportOptions report() {
    return report;
  }

  /** Whether and how this simulator joins the cluster. Default: joins, loopback config. */
  public ClusterSettings cluster() {
    return cluster;
  }
}
