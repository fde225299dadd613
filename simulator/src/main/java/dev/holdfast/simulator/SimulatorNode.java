package dev.holdfast.simulator;

import dev.holdfast.admin.AdminServer;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.Durations;
import dev.holdfast.metrics.EventLoopDelay;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.ConnectionState;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.fleet.PopulationShare;
import dev.holdfast.simulator.kernel.OwnSocketCount;
import dev.holdfast.simulator.report.LatencySummary;
import dev.holdfast.simulator.report.ProgressLine;
import dev.holdfast.simulator.report.RunFacts;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.report.TimelineSample;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.Target;
import dev.holdfast.simulator.target.TargetDirectory;
import dev.holdfast.vertx.VertxInternals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A simulator node: simulator verticles on every event loop of one Vert.x instance, holding this
 * node's share of the population for the configured duration, then settling, counting, closing
 * everything and reporting. Also the admin HTTP port ({@code /health /ready /status /metrics}).
 *
 * <p>A run goes: <b>hold</b> (ramp, churn, messages, storm) until {@code duration}; <b>settle</b>
 * (no more churn or messages, reopen whatever waits, let outstanding echoes arrive) until quiet or
 * {@code settleTimeout}; take the three counts at that quiet instant; <b>close</b> everything
 * (1000, waiting for the servers' answers up to {@code closeTimeout}); report.
 */
public final class SimulatorNode {

  private static final Logger LOG = Logger.getLogger(SimulatorNode.class.getName());
  /** How often the node reads the fleet's membership and re-computes its share. */
  public static final Duration MEMBERSHIP_POLL = Duration.ofSeconds(1);
  private static final long WATCH_MS = 100;
  private static final long SETTLE_POLL_MS = 50;

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final PrometheusMeterRegistry registry;
  private final Membership membership;
  private final ServerCount serverCount;
  private final Consumer<String> progress;
  private final long runStartNanos = System.nanoTime();
  private final long startedAtMillis = System.currentTimeMillis();
  private final long openFiles = OpenFileLimit.max();
  // written while the verticles deploy, then read from every event loop: copy-on-write publishes safely
  private final List<SimulatorVerticle> verticles = new CopyOnWriteArrayList<>();
  private final List<SimulatorLedger> ledgers = new CopyOnWriteArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<TimelineSample> timeline = new ArrayList<>();
  private final Promise<RunReport> finished = Promise.promise();
  private TargetDirectory directory;
  private HttpServer admin;
  private volatile List<String> members = List.of();
  /** -1 until this node has joined the fleet (see {@link Membership#members()}). */
  private volatile long share = -1;
  private boolean waitedToJoin;
  private volatile boolean ready;
  private volatile long osEstablished = -1;
  private volatile long clusterHeld = -1;
  private volatile String phase = "hold";
  private volatile RunSampler sampler;
  private Context context;
  private boolean counting;
  private long rampDoneNanos;
  private long firstOpenNanos;
  private long rampWindowStartNanos;
  private long openedAtRampDone;
  private long churnAtRampDone;
  private long churnAtHoldEnd;
  private long holdEndNanos;
  private boolean holdEnded;

  private SimulatorNode(Vertx vertx, SimulatorConfig config, PrometheusMeterRegistry registry, Membership membership,
      ServerCount serverCount, Consumer<String> progress) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.membership = membership;
    this.serverCount = serverCount;
    this.progress = progress;
  }

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

  /** A standalone (unclustered) Vert.x for a simulator node, reporting into {@code registry}. */
  public static Vertx standaloneVertx(SimulatorConfig config, PrometheusMeterRegistry registry) {
    return Vertx.builder().with(vertxOptions(config)).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /**
   * Checks the config against this machine (open-file limit, source addresses), then starts the
   * verticles, the admin port and the run. Problems a user can fix are {@link ConfigException}s,
   * raised before any connection is opened.
   *
   * @param directories makes the target directory (standalone: {@code StaticTargetDirectory::create})
   * @param serverCount the servers' count of held connections (the third count)
   * @param progress receives the progress line every progress interval
   */
  public static Future<SimulatorNode> launch(SimulatorConfig config, Vertx vertx, PrometheusMeterRegistry registry,
      Membership membership, TargetDirectory.Factory directories, ServerCount serverCount, Consumer<String> progress) {
    SimulatorNode node = new SimulatorNode(vertx, config, registry, membership, serverCount, progress);
    try {
      node.checkMachine();
      node.directory = directories.create(config, node::ownLoad);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return node.start().map(node);
  }

  private void checkMachine() {
    TreeSet<String> fleet = new TreeSet<>(membership.members());
    fleet.add(membership.selfId()); // the share it will take once it has joined
    long initialShare = PopulationShare.of(config.population(), List.copyOf(fleet), membership.selfId());
    long allowed = OpenFileLimit.socketsAllowed(openFiles, config.openFileReserve());
    if (initialShare > allowed) {
      throw new ConfigException("$.population", config.population() + " gives this simulator node a share of "
          + initialShare + " connections, more than it can hold: its open-file limit is " + openFiles + ", less a reserve of "
          + config.openFileReserve() + " leaves " + allowed + ". Raise the limit (ulimit -n; see `holdfast preflight`),"
          + " run more simulator nodes, or lower the population");
    }
    List<String> sources = config.sourceAddresses();
    for (int i = 0; i < sources.size(); i++) {
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(InetAddress.getByName(sources.get(i)), 0));
      } catch (IOException e) {
        throw new ConfigException("$.sourceAddresses[" + i + "]", "\"" + sources.get(i) + "\" is not an address of this"
            + " machine (bind failed: " + e.getMessage() + "); use local addresses (on Linux all of 127.0.0.0/8 is local)");
      }
    }
  }

  private Future<Void> start() {
    long seed = config.seed() != null ? config.seed() : new SplittableRandom().nextLong();
    SplittableRandom seeds = new SplittableRandom(seed);
    int instances = config.instances();
    return vertx.deployVerticle(() -> {
      synchronized (verticles) {
        SimulatorVerticle v = new SimulatorVerticle(config, verticles.size(), instances, runStartNanos, directory,
            seeds.nextLong());
        verticles.add(v);
        ledgers.add(v.ledger());
        return v;
      }
    }, new DeploymentOptions().setInstances(instances)).compose(id -> {
      deployments.add(id);
      sampler = new RunSampler(List.copyOf(verticles), List.copyOf(ledgers), runStartNanos);
      context = spareContext();
      Promise<HttpServer> adminStarted = Promise.promise();
      context.runOnContext(v -> startOnContext().onComplete(adminStarted));
      return adminStarted.future();
    }).map(server -> {
      admin = server;
      ready = true;
      return null;
    });
  }

  /** Timers and the admin port, on the node's own context: they fire there. */
  private Future<HttpServer> startOnContext() {
    pollMembership();
    warnIfPortsShort();
    SimulatorMetrics.register(registry, this);
    EventLoopDelay.watch(vertx, registry);
    timers.add(vertx.setPeriodic(MEMBERSHIP_POLL.toMillis(), t -> pollMembership()));
    timers.add(vertx.setPeriodic(WATCH_MS, t -> watchRamp()));
    timers.add(vertx.setPeriodic(config.progressInterval().toMillis(), t -> progressTick()));
    SimulatorConfig.Storm storm = config.churn().storm();
    if (storm != null) {
      timers.add(vertx.setTimer(Math.max(1, remainingMillis(storm.at().toNanos())), t -> {
        progress.accept(String.format("[%3ds] storm: dropping %.0f%% of held connections%s", secondsSinceStart(),
            storm.fraction() * 100, storm.abrupt() ? " without close frames" : ""));
        verticles.forEach(v -> v.storm(storm));
      }));
    }
    timers.add(vertx.setTimer(Math.max(1, remainingMillis(config.duration().toNanos())), t -> endHold()));
    return AdminServer.start(vertx, config.adminHost(), config.adminPort(), registry, () -> ready,
        router -> router.get("/status").handler(rc -> AdminServer.json(rc, 200, status())));
  }

  /** A context on an event loop no simulator verticle runs on (Vert.x hands out loops in turn). */
  private Context spareContext() {
    Set<EventLoop> busy = new HashSet<>();
    verticles.forEach(v -> busy.add(v.eventLoop()));
    return VertxInternals.contextOnSpareLoop(vertx, busy).orElseGet(() -> {
      LOG.warning("no event loop left for the simulator node's own work: it shares one with a simulator verticle");
      return VertxInternals.newEventLoopContext(vertx);
    });
  }

  private long remainingMillis(long atNanos) {
    return (runStartNanos + atNanos - System.nanoTime()) / 1_000_000;
  }

  private long secondsSinceStart() {
    return Math.round((System.nanoTime() - runStartNanos) / 1e9);
  }

  /** Ephemeral ports: each source address has the kernel's port range per destination. */
  private void warnIfPortsShort() {
    int range = 28_232;
    try {
      String[] r = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      range = Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
    } catch (IOException | RuntimeException e) {
      // not Linux: keep the usual figure
    }
    long addresses = Math.max(1, config.sourceAddresses().size());
    long targets = Math.max(1, directory.targets().size());
    long perAddress = vertx.isNativeTransportEnabled() || config.sourceAddresses().isEmpty() ? range * targets : range;
    if (share > addresses * perAddress) {
      LOG.warning("share " + share + " exceeds the ephemeral ports of " + addresses + " source address(es) ("
          + perAddress + " each): add sourceAddresses such as 127.0.0.2, 127.0.0.3");
    }
  }

  // ---- what runs during the hold

  private synchronized void pollMembership() {
    if (holdEnded) {
      return;
    }
    List<String> now;
    try {
      now = membership.members();
    } catch (RuntimeException e) {
      LOG.warning("membership: " + e);
      return;
    }
    if (share < 0 && !now.contains(membership.selfId())) {
      waitedToJoin = true; // the others have not all seen this node yet: it takes no share
      members = List.copyOf(now);
      return;
    }
    long newShare = PopulationShare.of(config.population(), now, membership.selfId());
    if (newShare != share) {
      if (share < 0 && waitedToJoin) {
        progress.accept(String.format("[%3ds] joined: %d member(s), this node's share %d", secondsSinceStart(),
            now.size(), newShare));
      } else if (share >= 0) {
        progress.accept(String.format("[%3ds] rebalance: %d member(s), this node's share %d -> %d", secondsSinceStart(),
            now.size(), share, newShare));
      }
      share = newShare;
      for (int i = 0; i < verticles.size(); i++) {
        verticles.get(i).setShare(PopulationShare.of(newShare, verticles.size(), i), config.population());
      }
    }
    members = List.copyOf(now);
  }

  private synchronized void watchRamp() {
    if (rampDoneNanos != 0 || holdEnded) {
      return;
    }
    long latest = 0;
    long opened = 0;
    long first = Long.MAX_VALUE;
    for (SimulatorVerticle v : verticles) {
      long done = v.rampDoneNanos();
      if (done == 0) {
        return;
      }
      latest = Math.max(latest, done);
      opened += v.openedAtRampDone();
      if (v.firstOpenNanos() != 0) {
        first = Math.min(first, v.firstOpenNanos());
      }
    }
    rampDoneNanos = latest;
    firstOpenNanos = first == Long.MAX_VALUE ? latest : first;
    openedAtRampDone = opened;
    churnAtRampDone = totals().closedBy(CloseCause.CHURN);
    rampWindowStartNanos = System.nanoTime();
  }

  /**
   * Samples the ledgers and prints the progress line now, with the kernel's and the servers'
   * counts as last read; then refreshes those counts in the background (reading the kernel's
   * tables takes a while on a busy host), unless the previous refresh is still running.
   */
  private void progressTick() {
    synchronized (this) {
      if (holdEnded) {
        return;
      }
      publish(sampler.take(System.nanoTime(), Math.max(0, share), osEstablished, clusterHeld, rampDoneNanos));
      if (counting) {
        return;
      }
      counting = true;
    }
    vertx.executeBlocking(this::countOs, false).otherwise(-1L)
        .compose(os -> {
          osEstablished = os;
          return serverCount.held().otherwise(-1L);
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            clusterHeld = ar.result();
          }
          synchronized (this) {
            counting = false;
          }
        });
  }

  private synchronized void publish(TimelineSample s) {
    if (holdEnded) {
      return; // the hold's last sample is already in; the run is settling
    }
    timeline.add(s);
    LedgerTotals t = sampler.lastTotals();
    progress.accept(ProgressLine.format(s, t.closedBy(CloseCause.CHURN), achievedSoFar(System.nanoTime()),
        Durations.format(config.churn().period()), t.errorsTotal()));
  }

  private double achievedSoFar(long now) {
    if (rampDoneNanos == 0 || share <= 0 || config.churn().period().isZero()) {
      return Double.NaN;
    }
    long end = holdEnded ? holdEndNanos : now;
    double windowSeconds = (end - rampWindowStartNanos) / 1e9;
    if (windowSeconds < config.progressInterval().toMillis() / 1000.0) {
      return Double.NaN;
    }
    long closes = (holdEnded ? churnAtHoldEnd : sampler.lastTotals().closedBy(CloseCause.CHURN)) - churnAtRampDone;
    return closes / (double) share / (windowSeconds / (config.churn().period().toNanos() / 1e9));
  }

  private long countOs() {
    List<InetSocketAddress> remotes = new ArrayList<>();
    for (Target t : directory.targets()) {
      remotes.add(t.address());
    }
    return new OwnSocketCount(remotes).count();
  }

  // ---- the end of the run

  /** Ends the hold now (as if the duration had passed): settle, count, close, report. */
  public void finishNow() {
    Context c = context;
    if (c == null) {
      endHold();
    } else {
      c.runOnContext(v -> endHold());
    }
  }

  private void endHold() {
    synchronized (this) {
      if (holdEnded) {
        return;
      }
      long now = System.nanoTime();
      timeline.add(sampler.take(now, Math.max(0, share), osEstablished, clusterHeld, rampDoneNanos));
      holdEnded = true;
      holdEndNanos = now;
      churnAtHoldEnd = sampler.lastTotals().closedBy(CloseCause.CHURN);
      phase = "settle";
      timers.forEach(vertx::cancelTimer);
    }
    verticles.forEach(SimulatorVerticle::settle);
    RunEnd end = new RunEnd();
    end.settleStart = System.nanoTime();
    Promise<Boolean> quiet = Promise.promise();
    pollSettled(end.settleStart + config.settleTimeout().toNanos(), quiet);
    quiet.future()
        .compose(settled -> {
          end.settled = settled;
          end.settleEnd = System.nanoTime();
          return finalCounts();
        })
        .compose(counts -> {
          end.counts = counts;
          phase = "close";
          progress.accept(String.format("[%3ds] settled%s: held %d, os %s, cluster %s; closing everything",
              secondsSinceStart(), end.settled ? "" : " (timed out)", counts[0], unknown(counts[1]), unknown(counts[2])));
          return closeAll();
        })
        .map(v -> {
          end.closeEnd = System.nanoTime();
          RunReport report = buildReport(end);
          phase = "done";
          return report;
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            finished.tryComplete(ar.result());
          } else {
            finished.tryFail(ar.cause());
          }
        });
  }

  /** What the end of a run found, filled in as it goes. */
  private static final class RunEnd {
    long settleStart;
    long settleEnd;
    long closeEnd;
    boolean settled;
    /** simulator, os, cluster. */
    long[] counts;
  }

  private static String unknown(long n) {
    return n < 0 ? "?" : Long.toString(n);
  }

  private void pollSettled(long deadline, Promise<Boolean> done) {
    List<Future<Boolean>> each = new ArrayList<>();
    verticles.forEach(v -> each.add(v.settled()));
    Future.all(each).onComplete(ar -> {
      boolean all = ar.succeeded() && each.stream().allMatch(Future::result);
      if (all) {
        done.tryComplete(true);
      } else if (System.nanoTime() - deadline >= 0) {
        done.tryComplete(false);
      } else {
        vertx.setTimer(SETTLE_POLL_MS, t -> pollSettled(deadline, done));
      }
    });
  }

  /** The three counts at the quiet instant: the simulator's, the kernel's and the servers'. */
  private Future<long[]> finalCounts() {
    long held = totals().held();
    long deadline = System.nanoTime() + config.settleTimeout().toNanos();
    return vertx.executeBlocking(this::countOs, false).otherwise(-1L)
        .compose(os -> serverCountAgreeing(held, deadline).map(cluster -> new long[] {held, os, cluster}));
  }

  /**
   * The servers' count, asked again until it agrees with {@code held} or the deadline passes: the
   * cluster view's counts are up to a publish interval old, so at a quiet instant they need one
   * more publication to catch up. A count that still disagrees at the deadline is reported as is.
   */
  private Future<Long> serverCountAgreeing(long held, long deadlineNanos) {
    return serverCount.held().otherwise(-1L).compose(n -> {
      if (n == held || n < 0 || System.nanoTime() - deadlineNanos >= 0) {
        return Future.succeededFuture(n);
      }
      Promise<Long> next = Promise.promise();
      vertx.setTimer(SETTLE_POLL_MS, t -> serverCountAgreeing(held, deadlineNanos).onComplete(next));
      return next.future();
    });
  }

  private Future<Void> closeAll() {
    List<Future<Void>> each = new ArrayList<>();
    verticles.forEach(v -> each.add(v.closeAll()));
    Promise<Void> done = Promise.promise();
    Future.all(each).onComplete(ar -> done.tryComplete());
    // every close is cut off after closeTimeout by its verticle; this only guards against a stuck loop
    vertx.setTimer(config.closeTimeout().toMillis() + 5_000, t -> done.tryComplete());
    return done.future();
  }

  private synchronized RunReport buildReport(RunEnd end) {
    sampler.drainLatency(rampDoneNanos);
    double ramp = rampDoneNanos == 0 ? Double.NaN : (rampDoneNanos - runStartNanos) / 1e9;
    double rampFromFirstOpen = rampDoneNanos == 0 ? Double.NaN : (rampDoneNanos - firstOpenNanos) / 1e9;
    double window = rampDoneNanos == 0 ? Double.NaN : (holdEndNanos - rampWindowStartNanos) / 1e9;
    SimulatorConfig.Storm storm = config.churn().storm();
    RunFacts facts = new RunFacts(config, config.nodeId(), members, verticles.size(),
        vertx.isNativeTransportEnabled() ? "native" : "nio", Math.max(0, share), startedAtMillis,
        (holdEndNanos - runStartNanos) / 1e9, (end.settleEnd - end.settleStart) / 1e9, end.settled,
        (end.closeEnd - end.settleEnd) / 1e9,
        totals(), sampler.latencyTotal(), sampler.latencyAfterRamp(), sampler.sendLagTotal(), List.copyOf(timeline),
        ramp, rampFromFirstOpen, openedAtRampDone, churnAtHoldEnd - churnAtRampDone, window, storm == null ? Double.NaN : storm.at().toNanos() / 1e9, end.counts[0], end.counts[1], end.counts[2],
        openFiles);
    RunReport report = RunReport.from(facts);
    try {
      report.write(config.report());
    } catch (RuntimeException e) {
      LOG.warning("could not write the report: " + e.getMessage());
    }
    return report;
  }

  /** Completes with the report once the run has ended and everything it opened is closed. */
  public Future<RunReport> finished() {
    return finished.future();
  }

  /** Stops the timers, undeploys the verticles (cutting any connection still open) and closes the admin port. */
  public Future<Void> stop() {
    ready = false;
    synchronized (this) {
      timers.forEach(vertx::cancelTimer);
    }
    List<Future<?>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.join(undeploys).transform(ar -> {
      directory.close();
      return admin == null ? Future.succeededFuture() : admin.close();
    });
  }

  // ---- what the admin port, the metrics and the command line read

  /** The current state as {@code GET /status} shows it. */
  public JsonObject status() {
    LedgerTotals t = totals();
    LatencySummary l = lastLatency();
    return new JsonObject()
        .put("nodeId", config.nodeId())
        .put("phase", phase)
        .put("ready", ready)
        .put("seconds", (System.nanoTime() - runStartNanos) / 1e9)
        .put("members", members)
        .put("population", new JsonObject().put("target", config.population()).put("joined", share >= 0)
            .put("share", Math.max(0, share)).put("held", t.held()).put("connecting", t.inState(ConnectionState.CONNECTING))
            .put("waiting", t.inState(ConnectionState.WAITING)).put("closing", t.inState(ConnectionState.CLOSING)))
        .put("counts", new JsonObject().put("simulator", t.held()).put("os", osEstablished).put("cluster", clusterHeld))
        .put("churn", new JsonObject().put("closes", t.closedBy(CloseCause.CHURN))
            .put("configuredFraction", config.churn().fraction()).put("achievedFraction", nanToNull(achievedFraction())))
        .put("messages", new JsonObject().put("sent", t.get(Count.SENT)).put("echoed", t.get(Count.ECHOED))
            .put("lost", t.get(Count.LOST)).put("duplicated", t.get(Count.DUPLICATED))
            .put("reordered", t.get(Count.REORDERED)).put("mismatched", t.get(Count.MISMATCHED))
            .put("late", t.get(Count.LATE)))
        .put("latencyMs", l.toJson())
        .put("errors", t.errorsTotal());
  }

  private static Double nanToNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** Churn achieved so far, as a fraction per period; NaN before the ramp is done. */
  public synchronized double achievedFraction() {
    return sampler == null ? Double.NaN : achievedSoFar(System.nanoTime());
  }

  /** The verticles' counts summed now. */
  public LedgerTotals totals() {
    return LedgerTotals.of(ledgers);
  }

  /** This simulator's connections on a target (connecting, open or closing), over all verticles. */
  long ownLoad(Target t) {
    long n = 0;
    for (SimulatorLedger l : ledgers) {
      n += l.assigned(t.index());
    }
    return n;
  }

  public SimulatorConfig config() {
    return config;
  }

  public String nodeId() {
    return config.nodeId();
  }

  /** False while this node waits for the rest of the fleet to see it (it holds no share then). */
  public boolean joined() {
    return share >= 0;
  }

  /** This node's current share of the population. */
  public long share() {
    return Math.max(0, share);
  }

  public long held() {
    return totals().held();
  }

  /** The kernel's count of established sockets to the targets, as last sampled (-1 before the first). */
  public long osEstablished() {
    return osEstablished;
  }

  /** The servers' count, as last read (-1 when unknown). */
  public long clusterHeld() {
    return clusterHeld;
  }

  /** Latency of the last progress interval. */
  public LatencySummary lastLatency() {
    RunSampler s = sampler;
    return s == null ? LatencySummary.EMPTY : s.lastLatency();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public long openFiles() {
    return openFiles;
  }

  public List<SimulatorVerticle> verticles() {
    return List.copyOf(verticles);
  }
}
