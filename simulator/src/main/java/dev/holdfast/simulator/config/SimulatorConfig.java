package dev.holdfast.simulator.config;

import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
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
  /** Host of the admin HTTP port: loopback, so metrics are not public by default. */
  public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
  /** Admin HTTP port of a simulator node; 0 lets the OS pick. */
  public static final int DEFAULT_ADMIN_PORT = 9190;
  /** Open files kept back from the socket budget for the JVM, the admin port and the cluster. */
  public static final int DEFAULT_OPEN_FILE_RESERVE = 500;

  private String nodeId = defaultNodeId();
  private boolean clusterTargets;
  private List<URI> targets = parseDefaultTargets();
  private long population = DEFAULT_POPULATION;
  private double tolerance = DEFAULT_TOLERANCE;
  private int instances = Runtime.getRuntime().availableProcessors();
  private Ramp ramp = new Ramp();
  private Churn churn = new Churn();
  private Messages messages = new Messages();
  private List<String> sourceAddresses = List.of();
  private Duration duration = DEFAULT_DURATION;
  private Duration tick = DEFAULT_TICK;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration settleTimeout = DEFAULT_SETTLE_TIMEOUT;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Backoff backoff = new Backoff();
  private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
  private String adminHost = DEFAULT_ADMIN_HOST;
  private int adminPort = DEFAULT_ADMIN_PORT;
  private int openFileReserve = DEFAULT_OPEN_FILE_RESERVE;
  private List<URI> nodeStatusUrls = List.of();
  private Long seed;
  private Report report = new Report();
  private ClusterSettings cluster = new ClusterSettings();
  private ThresholdOptions thresholds = new ThresholdOptions();

  /** Reads a simulator config; fields left out take their defaults, unknown fields are errors. */
  public static SimulatorConfig fromJson(JsonObject json) {
    JsonObject in = json == null ? new JsonObject() : json;
    ConfigReader r = ConfigReader.of(in);
    SimulatorConfig c = new SimulatorConfig();
    c.nodeId = r.string("nodeId", c.nodeId);
    readTargets(in, r, c);
    c.population = r.longInteger("population", c.population, 0, 1_000_000_000_000L);
    c.tolerance = r.number("tolerance", c.tolerance, 0, 1);
    c.instances = r.integer("instances", c.instances, 1, 1024);
    c.duration = r.duration("duration", c.duration, Duration.ofSeconds(1), Duration.ofDays(30));
    c.tick = r.duration("tick", c.tick, Duration.ofMillis(1), Duration.ofMillis(100));
    c.ramp = Ramp.read(r.object("ramp"));
    c.churn = Churn.read(r.object("churn"), c.duration);
    c.messages = Messages.read(r.object("messages"), c.tick);
    c.sourceAddresses = readSourceAddresses(r);
    c.connectTimeout = r.duration("connectTimeout", c.connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(10));
    c.settleTimeout = r.duration("settleTimeout", c.settleTimeout, Duration.ZERO, Duration.ofHours(1));
    c.closeTimeout = r.duration("closeTimeout", c.closeTimeout, Duration.ZERO, Duration.ofMinutes(10));
    c.backoff = Backoff.read(r.object("backoff"));
    c.progressInterval = r.duration("progressInterval", c.progressInterval, Duration.ofMillis(100), Duration.ofHours(1));
    c.adminHost = r.string("adminHost", c.adminHost);
    c.adminPort = r.integer("adminPort", c.adminPort, 0, 65_535);
    c.openFileReserve = r.integer("openFileReserve", c.openFileReserve, 0, 1_000_000);
    c.nodeStatusUrls = readStatusUrls(r);
    c.seed = r.has("seed") ? r.longInteger("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    c.report = Report.read(r.object("report"));
    c.cluster = ClusterSettings.read(r.object("cluster"));
    c.thresholds = ThresholdOptions.read(r.object("thresholds"));
    r.finish();
    c.checkTogether(r);
    return c;
  }

  private static void readTargets(JsonObject in, ConfigReader r, SimulatorConfig c) {
    if (in.getValue("targets") instanceof String) {
      String s = r.string("targets", CLUSTER_TARGETS);
      if (!s.equals(CLUSTER_TARGETS)) {
        throw new ConfigException(r.pathOf("targets"), "\"" + s + "\" is not allowed; use an array of WebSocket URLs"
            + " such as [\"ws://127.0.0.1:8080/ws\"], or \"cluster\" to discover the echo nodes from the cluster view");
      }
      c.clusterTargets = true;
      c.targets = List.of();
      return;
    }
    List<String> urls = r.strings("targets", DEFAULT_TARGETS);
    if (urls.isEmpty()) {
      throw new ConfigException(r.pathOf("targets"), "[] is not allowed; use at least one WebSocket URL, or \"cluster\"");
    }
    List<URI> out = new ArrayList<>(urls.size());
    for (int i = 0; i < urls.size(); i++) {
      out.add(parseWebSocketUrl(r.pathOf("targets") + "[" + i + "]", urls.get(i)));
    }
    c.targets = List.copyOf(out);
  }

  /** Parses and checks a {@code ws://host:port/path} URL; the error names {@code at}. */
  public static URI parseWebSocketUrl(String at, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(at, "\"" + url + "\" is not allowed; use a WebSocket URL such as \"ws://127.0.0.1:8080/ws\"");
    }
    if ("wss".equalsIgnoreCase(uri.getScheme())) {
      throw new ConfigException(at, "\"" + url + "\" is not allowed: TLS (wss://) is not supported yet; use ws://");
    }
    if (!"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException(at, "\"" + url + "\" is not allowed; use a WebSocket URL such as \"ws://127.0.0.1:8080/ws\"");
    }
    return uri;
  }

  private static List<String> readSourceAddresses(ConfigReader r) {
    List<String> list = r.strings("sourceAddresses", List.of());
    for (int i = 0; i < list.size(); i++) {
      if (NetUtil.createInetAddressFromIpAddressString(list.get(i)) == null) {
        throw new ConfigException(r.pathOf("sourceAddresses") + "[" + i + "]", "\"" + list.get(i)
            + "\" is not allowed; use a literal local IP address such as \"127.0.0.2\"");
      }
    }
    return List.copyOf(list);
  }

  private static List<URI> readStatusUrls(ConfigReader r) {
    List<String> list = r.strings("nodeStatusUrls", List.of());
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = r.pathOf("nodeStatusUrls") + "[" + i + "]";
      try {
        URI u = new URI(list.get(i));
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
          throw new URISyntaxException(list.get(i), "not http");
        }
        out.add(u);
      } catch (URISyntaxException e) {
        throw new ConfigException(at, "\"" + list.get(i)
            + "\" is not allowed; use an echo node's status URL such as \"http://127.0.0.1:9090/status\"");
      }
    }
    return List.copyOf(out);
  }

  /** Checks that hold between fields: each error names the field that has to change. */
  private void checkTogether(ConfigReader r) {
    if (clusterTargets && !cluster.enabled()) {
      throw new ConfigException(r.pathOf("targets"), "\"cluster\" needs the cluster view, but the simulator runs"
          + " standalone (cluster.enabled is false or --standalone was given); list WebSocket URLs instead");
    }
    if (churn.fraction > 0) {
      double meanLifetimeNanos = churn.period.toNanos() / churn.fraction;
      double meanDelayNanos = (churn.reconnectDelay[0].toNanos() + churn.reconnectDelay[1].toNanos()) / 2.0;
      if (meanLifetimeNanos <= meanDelayNanos) {
        throw new ConfigException(r.pathOf("churn") + ".fraction", churn.fraction + " is not allowed with a period of "
            + Durations.format(churn.period) + " and a mean reconnect delay of " + Durations.format(Duration.ofNanos((long) meanDelayNanos))
            + ": every connection would have to close again before it reopened; use a fraction below "
            + churn.period.toNanos() / meanDelayNanos);
      }
      double reopensPerSecond = churn.fraction * population / (churn.period.toNanos() / 1e9);
      if (reopensPerSecond > ramp.perSecond) {
        throw new ConfigException(r.pathOf("ramp") + ".perSecond", ramp.perSecond + " is not allowed: churn needs "
            + Math.round(reopensPerSecond) + " reopens per second (fraction x population / period), and every reopen is a"
            + " handshake within the ramp rate; use at least " + (long) Math.ceil(reopensPerSecond));
      }
    }
    if (churn.storm != null && churn.storm.at.compareTo(duration) >= 0) {
      throw new ConfigException(r.pathOf("churn") + ".storm.at", "\"" + Durations.format(churn.storm.at)
          + "\" is not allowed; use a time before the end of the run (duration " + Durations.format(duration) + ")");
    }
    if (ramp.delay.compareTo(duration) >= 0) {
      throw new ConfigException(r.pathOf("ramp") + ".delay", "\"" + Durations.format(ramp.delay)
          + "\" is not allowed; use a delay shorter than the duration (" + Durations.format(duration) + ")");
    }
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "sim";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-sim";
  }

  private static List<URI> parseDefaultTargets() {
    return List.of(URI.create(DEFAULT_TARGETS.get(0)));
  }

  /** The config as it was read: the JSON given, with every default filled in. */
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
        .put("ramp", new JsonObject().put("perSecond", ramp.perSecond).put("inFlight", ramp.inFlight)
            .put("delay", Durations.format(ramp.delay)))
        .put("churn", churn.toJson())
        .put("messages", new JsonObject().put("interval", Durations.format(messages.interval))
            .put("payloadBytes", messages.payloadBytes).put("lateAfter", Durations.format(messages.lateAfter))
            .put("lostAfter", Durations.format(messages.lostAfter)))
        .put("sourceAddresses", new JsonArray(new ArrayList<>(sourceAddresses)))
        .put("duration", Durations.format(duration))
        .put("tick", Durations.format(tick))
        .put("connectTimeout", Durations.format(connectTimeout))
        .put("settleTimeout", Durations.format(settleTimeout))
        .put("closeTimeout", Durations.format(closeTimeout))
        .put("backoff", new JsonObject().put("initial", Durations.format(backoff.initial))
            .put("max", Durations.format(backoff.max)))
        .put("progressInterval", Durations.format(progressInterval))
        .put("adminHost", adminHost)
        .put("adminPort", adminPort)
        .put("openFileReserve", openFileReserve)
        .put("nodeStatusUrls", status)
        .put("seed", seed)
        .put("report", new JsonObject().put("json", report.json).put("text", report.text).put("html", report.html))
        .put("cluster", new JsonObject().put("enabled", cluster.enabled()).put("config", cluster.config()))
        .put("thresholds", thresholds.toJson());
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
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      out.add(parseWebSocketUrl("$.targets[" + i + "]", urls.get(i)));
    }
    this.targets = List.copyOf(out);
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

  public Ramp ramp() {
    return ramp;
  }

  public Churn churn() {
    return churn;
  }

  public Messages messages() {
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

  /** Granularity of each verticle's schedule. Default 10 ms. */
  public Duration tick() {
    return tick;
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

  public Backoff backoff() {
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

  /** Host of the admin HTTP port. Default 127.0.0.1. */
  public String adminHost() {
    return adminHost;
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

  public Report report() {
    return report;
  }

  public ClusterSettings cluster() {
    return cluster;
  }

  /** Ramp: how fast connections are opened, and how many handshakes may be in flight at once. */
  public static final class Ramp {
    /** Handshakes started per second, across the fleet; reopens after churn count too. */
    public static final double DEFAULT_PER_SECOND = 1000;
    /** Handshakes in flight at once, across the fleet. */
    public static final int DEFAULT_IN_FLIGHT = 200;
    /** Wait after start before the first connection. */
    public static final Duration DEFAULT_DELAY = Duration.ZERO;

    private double perSecond = DEFAULT_PER_SECOND;
    private int inFlight = DEFAULT_IN_FLIGHT;
    private Duration delay = DEFAULT_DELAY;

    static Ramp read(ConfigReader r) {
      Ramp s = new Ramp();
      s.perSecond = r.number("perSecond", s.perSecond, 0.1, 10_000_000);
      s.inFlight = r.integer("inFlight", s.inFlight, 1, 10_000_000);
      s.delay = r.duration("delay", s.delay, Duration.ZERO, Duration.ofHours(1));
      r.finish();
      return s;
    }

    /** Handshakes started per second across the fleet. Default 1000. */
    public double perSecond() {
      return perSecond;
    }

    public Ramp perSecond(double perSecond) {
      this.perSecond = perSecond;
      return this;
    }

    /** Handshakes in flight at once across the fleet. Default 200. */
    public int inFlight() {
      return inFlight;
    }

    public Ramp inFlight(int inFlight) {
      this.inFlight = inFlight;
      return this;
    }

    /** Wait after start before the first connection. Default 0 s. */
    public Duration delay() {
      return delay;
    }

    public Ramp delay(Duration delay) {
      this.delay = delay;
      return this;
    }
  }

  /** Churn: a fraction of the population closed and reopened per period, as a steady random stream. */
  public static final class Churn {
    /** Fraction of the population closed and reopened per period. */
    public static final double DEFAULT_FRACTION = 0.1;
    /** The period over which {@code fraction} of the population churns. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);
    /** Range of the uniformly jittered delay between a churn close and the reopen. */
    public static final Duration[] DEFAULT_RECONNECT_DELAY = {Duration.ofMillis(100), Duration.ofSeconds(1)};

    private double fraction = DEFAULT_FRACTION;
    private Duration period = DEFAULT_PERIOD;
    private Duration[] reconnectDelay = DEFAULT_RECONNECT_DELAY.clone();
    private Storm storm;

    static Churn read(ConfigReader r, Duration duration) {
      Churn s = new Churn();
      s.fraction = r.number("fraction", s.fraction, 0, 1);
      s.period = r.duration("period", s.period, Duration.ofMillis(100), Duration.ofDays(30));
      s.reconnectDelay = r.durationRange("reconnectDelay", s.reconnectDelay, Duration.ZERO, Duration.ofHours(1));
      s.storm = r.has("storm") ? Storm.read(r.object("storm"), s.reconnectDelay, duration) : null;
      r.finish();
      return s;
    }

    JsonObject toJson() {
      return new JsonObject().put("fraction", fraction).put("period", Durations.format(period))
          .put("reconnectDelay", new JsonArray().add(Durations.format(reconnectDelay[0])).add(Durations.format(reconnectDelay[1])))
          .put("storm", storm == null ? null : storm.toJson());
    }

    /** Fraction of the population closed and reopened per period; 0 = no churn. Default 0.1. */
    public double fraction() {
      return fraction;
    }

    public Churn fraction(double fraction) {
      this.fraction = fraction;
      return this;
    }

    /** Churn period. Default 60 s. */
    public Duration period() {
      return period;
    }

    public Churn period(Duration period) {
      this.period = period;
      return this;
    }

    /** [low, high] of the uniformly jittered reopen delay after a churn close. Default [100ms, 1s]. */
    public Duration[] reconnectDelay() {
      return reconnectDelay.clone();
    }

    public Churn reconnectDelay(Duration low, Duration high) {
      this.reconnectDelay = new Duration[] {low, high};
      return this;
    }

    /** The one-off storm, or null for none (the default). */
    public Storm storm() {
      return storm;
    }

    public Churn storm(Storm storm) {
      this.storm = storm;
      return this;
    }
  }

  /** Storm mode: drops a fraction of the held connections at once, to test a thundering herd of reconnects. */
  public static final class Storm {
    /** Fraction of held connections dropped at once. */
    public static final double DEFAULT_FRACTION = 0.5;

    private Duration at;
    private double fraction = DEFAULT_FRACTION;
    private Duration[] reconnectDelay;
    private boolean abrupt;

    /** A storm at {@code at} after the start, dropping {@code fraction} of held connections. */
    public Storm(Duration at, double fraction, Duration[] reconnectDelay, boolean abrupt) {
      this.at = at;
      this.fraction = fraction;
      this.reconnectDelay = reconnectDelay.clone();
      this.abrupt = abrupt;
    }

    static Storm read(ConfigReader r, Duration[] churnDelay, Duration duration) {
      Duration at = r.duration("at", duration.dividedBy(2), Duration.ZERO, Duration.ofDays(30));
      double fraction = r.number("fraction", DEFAULT_FRACTION, 0, 1);
      Duration[] delay = r.durationRange("reconnectDelay", churnDelay, Duration.ZERO, Duration.ofHours(1));
      boolean abrupt = r.bool("abrupt", false);
      r.finish();
      return new Storm(at, fraction, delay, abrupt);
    }

    JsonObject toJson() {
      return new JsonObject().put("at", Durations.format(at)).put("fraction", fraction)
          .put("reconnectDelay", new JsonArray().add(Durations.format(reconnectDelay[0])).add(Durations.format(reconnectDelay[1])))
          .put("abrupt", abrupt);
    }

    /** When the storm hits, counted from the start of the run. Default: half the duration. */
    public Duration at() {
      return at;
    }

    /** Fraction of held connections dropped at once. Default 0.5. */
    public double fraction() {
      return fraction;
    }

    /** [low, high] of the reopen delay after the storm. Default: churn.reconnectDelay. */
    public Duration[] reconnectDelay() {
      return reconnectDelay.clone();
    }

    /** True: cut the TCP connections without a close frame (a network failure); false: close with 1001. Default false. */
    public boolean abrupt() {
      return abrupt;
    }
  }

  /** Messages: every connection sends one every interval, phase-spread, and checks the echo. */
  public static final class Messages {
    /** Time between two messages of one connection; 0 = no messages. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Size of each message in bytes; the first 20 carry connection id, sequence number and intended send time. */
    public static final int DEFAULT_PAYLOAD_BYTES = 64;
    /** An echo slower than this (from the intended send time) is counted late. */
    public static final Duration DEFAULT_LATE_AFTER = Duration.ofSeconds(1);
    /** An echo not back this long after its intended send time is no longer waited for when the run settles. */
    public static final Duration DEFAULT_LOST_AFTER = Duration.ofSeconds(5);
    /** The bytes of a payload's header: connection id (8), sequence number (4), intended send time (8). */
    public static final int MIN_PAYLOAD_BYTES = 20;

    private Duration interval = DEFAULT_INTERVAL;
    private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
    private Duration lateAfter = DEFAULT_LATE_AFTER;
    private Duration lostAfter = DEFAULT_LOST_AFTER;

    static Messages read(ConfigReader r, Duration tick) {
      Messages s = new Messages();
      s.interval = r.duration("interval", s.interval, Duration.ZERO, Duration.ofHours(24));
      if (!s.interval.isZero() && s.interval.compareTo(tick) < 0) {
        throw new ConfigException(r.pathOf("interval"), "\"" + Durations.format(s.interval)
            + "\" is not allowed; use \"0s\" (no messages) or at least the scheduler tick (" + Durations.format(tick) + ")");
      }
      s.payloadBytes = r.integer("payloadBytes", s.payloadBytes, MIN_PAYLOAD_BYTES, 65_536);
      s.lateAfter = r.duration("lateAfter", s.lateAfter, Duration.ofMillis(1), Duration.ofHours(1));
      s.lostAfter = r.duration("lostAfter", s.lostAfter, Duration.ofMillis(1), Duration.ofHours(1));
      r.finish();
      return s;
    }

    /** Time between two messages of one connection, rounded to the tick; 0 = no messages. Default 5 s. */
    public Duration interval() {
      return interval;
    }

    public Messages interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Message size in bytes, at least {@value #MIN_PAYLOAD_BYTES}. Default 64. */
    public int payloadBytes() {
      return payloadBytes;
    }

    public Messages payloadBytes(int payloadBytes) {
      this.payloadBytes = payloadBytes;
      return this;
    }

    /** Echo latency above which an echo counts as late. Default 1 s. */
    public Duration lateAfter() {
      return lateAfter;
    }

    public Messages lateAfter(Duration lateAfter) {
      this.lateAfter = lateAfter;
      return this;
    }

    /** How long after its intended send time an echo is still waited for when settling. Default 5 s. */
    public Duration lostAfter() {
      return lostAfter;
    }

    public Messages lostAfter(Duration lostAfter) {
      this.lostAfter = lostAfter;
      return this;
    }
  }

  /** Backoff after a failed connect, a refusal (503) or a lost connection: jittered, doubling per failure. */
  public static final class Backoff {
    /** Delay after the first failure (then doubled per consecutive failure, jittered 50-100%). */
    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(200);
    /** Largest backoff delay. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(5);

    private Duration initial = DEFAULT_INITIAL;
    private Duration max = DEFAULT_MAX;

    static Backoff read(ConfigReader r) {
      Backoff s = new Backoff();
      s.initial = r.duration("initial", s.initial, Duration.ofMillis(1), Duration.ofHours(1));
      s.max = r.duration("max", s.max, Duration.ofMillis(1), Duration.ofHours(1));
      if (s.max.compareTo(s.initial) < 0) {
        throw new ConfigException(r.pathOf("max"), "\"" + Durations.format(s.max)
            + "\" is not allowed; use at least backoff.initial (" + Durations.format(s.initial) + ")");
      }
      r.finish();
      return s;
    }

    /** First backoff delay. Default 200 ms. */
    public Duration initial() {
      return initial;
    }

    /** Largest backoff delay. Default 5 s. */
    public Duration max() {
      return max;
    }
  }

  /** Where the final report is written, besides the text printed to stdout. */
  public static final class Report {
    private String json;
    private String text;
    private String html;

    static Report read(ConfigReader r) {
      Report s = new Report();
      s.json = r.string("json", null);
      s.text = r.string("text", null);
      s.html = r.string("html", null);
      r.finish();
      return s;
    }

    /** Path of the JSON report; null (default) = not written. */
    public String json() {
      return json;
    }

    public Report json(String json) {
      this.json = json;
      return this;
    }

    /** Path of the text report; null (default) = stdout only. */
    public String text() {
      return text;
    }

    public Report text(String text) {
      this.text = text;
      return this;
    }

    /** Path of the HTML report with plots; null (default) = not written. */
    public String html() {
      return html;
    }

    public Report html(String html) {
      this.html = html;
      return this;
    }
  }
}
