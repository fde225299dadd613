package dev.holdfast.simulator;

import dev.holdfast.admin.AdminServer;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.Durations;
import dev.holdfast.metrics.EventLoopDelay;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.config.StormOptions;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.report.LatencySummary;
import dev.holdfast.simulator.report.ProgressLine;
import dev.holdfast.simulator.report.RunFacts;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.simulator.report.TimelineSample;
import dev.holdfast.simulator.target.ClusterServerCount;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.Target;
import dev.holdfast.simulator.target.TargetDirectory;
import dev.holdfast.vertx.VertxInternals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A simulator node: simulator verticles on every event loop of one Vert.x instance, holding this
 * node's share of the population for the configured duration, then settling, counting, closing
 * everything and reporting ({@link RunEnding}). Also the admin HTTP port ({@code /health /ready
 * /status /metrics}).
 *
 * <p>Ownership: the node's own work (membership and share, ramp, progress, counts, the end of the
 * run) runs on one context, on an event loop no verticle uses, and its state is touched only there.
 * Other threads read the latest {@link NodeState} it published, and the verticles' ledgers.
 */
public final class SimulatorNode {

  private static final Logger LOG = Logger.getLogger(SimulatorNode.class.getName());
  /** How often the node reads the fleet's membership and re-computes its share. */
  public static final Duration MEMBERSHIP_POLL = Duration.ofSeconds(1);
  private static final long WATCH_MS = 100;

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final PrometheusMeterRegistry registry;
  private final Membership membership;
  private final ServerCount serverCount;
  private final Consumer<String> progress;
  private final long runStartNanos = System.nanoTime();
  private final long startedAtMillis = System.currentTimeMillis();
  private final SimulatorStartup startup;
  private final Promise<RunReport> finished = Promise.promise();
  private TargetDirectory directory;
  /** Set once the verticles are deployed; read by any thread. */
  private volatile List<SimulatorLedger> ledgers = List.of();
  private volatile NodeState state;
  private volatile Context context;
  /** The run's phase as the fleet sees it in this node's snapshot (see {@link ClusterServerCount}). */
  private volatile String fleetPhase = ClusterServerCount.HOLD;
  private volatile long holdEndsAtMillis;

  // ---- owned by the node's context
  private List<SimulatorVerticle> verticles = List.of();
  private final List<Long> timers = new ArrayList<>();
  private final List<TimelineSample> timeline = new ArrayList<>();
  private ShareController shares;
  private volatile RunCounts counts;
  private RampWatch ramp;
  private RunSampler sampler;
  private HttpServer admin;
  private String phase = "hold";
  private boolean ready;
  private boolean holdEnded;
  private long holdEndNanos;

  private SimulatorNode(Vertx vertx, SimulatorConfig config, PrometheusMeterRegistry registry, Membership membership,
      ServerCount serverCount, Consumer<String> progress) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.membership = membership;
    this.serverCount = serverCount;
    this.progress = progress;
    this.startup = new SimulatorStartup(config);
    this.state = NodeState.starting(startup.socketsAllowed(config));
    this.holdEndsAtMillis = startedAtMillis + config.duration().toMillis();
  }

  /**
   * Checks the config against this machine, then starts the verticles, the admin port and the run.
   * Problems a user can fix are {@link ConfigException}s, raised before any connection is opened: a
   * standalone node refuses a population its open-file limit cannot hold; a clustered one checks
   * its share once the fleet is known ({@link ShareController}).
   *
   * @param directories makes the target directory (standalone: {@code StaticTargetDirectory::create})
   * @param serverCount the servers' count of held connections (the third count)
   * @param progress receives the progress line every progress interval
   */
  public static Future<SimulatorNode> launch(SimulatorConfig config, Vertx vertx, PrometheusMeterRegistry registry,
      Membership membership, TargetDirectory.Factory directories, ServerCount serverCount, Consumer<String> progress) {
    SimulatorNode node = new SimulatorNode(vertx, config, registry, membership, serverCount, progress);
    try {
      if (!membership.clustered()) {
        node.startup.checkOpenFiles(config, config.population());
      }
      MachineChecks.sourceAddresses(config);
      node.directory = directories.create(config, node::ownLoad);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return node.start().map(node);
  }

  private Future<Void> start() {
    SplittableRandom seeds = new SplittableRandom(config.seed() != null ? config.seed() : new SplittableRandom().nextLong());
    int n = config.instances();
    return startup.deploy(vertx, n, i -> new SimulatorVerticle(config, i, n, runStartNanos, directory, seeds.nextLong()))
        .compose(deployed -> {
          ledgers = deployed.stream().map(SimulatorVerticle::ledger).toList();
          Context c = spareContext(deployed);
          context = c;
          Promise<Void> started = Promise.promise();
          c.runOnContext(v -> startOnContext(deployed).onComplete(started));
          return started.future();
        });
  }

  /** The node's own parts, timers and admin port, on its context: the timers fire there. */
  private Future<Void> startOnContext(List<SimulatorVerticle> deployed) {
    verticles = deployed;
    sampler = new RunSampler(verticles, ledgers, runStartNanos);
    shares = new ShareController(config.population(), membership, startup.socketsAllowed(config), progress);
    shares.verticles(verticles);
    counts = new RunCounts(vertx, context, directory, serverCount, config.osCountInterval());
    ramp = new RampWatch(runStartNanos, config.churn().period().toNanos(), config.progressInterval().toNanos());
    pollMembership();
    MachineChecks.warnIfPortsShort(config, shares.share(), directory.targets().size(), vertx.isNativeTransportEnabled());
    SimulatorMetrics.register(registry, this);
    EventLoopDelay.watch(vertx, registry);
    timers.add(vertx.setPeriodic(MEMBERSHIP_POLL.toMillis(), t -> pollMembership()));
    timers.add(vertx.setPeriodic(WATCH_MS, t -> watchRamp()));
    timers.add(vertx.setPeriodic(config.progressInterval().toMillis(), t -> progressTick()));
    StormOptions storm = config.churn().storm();
    if (storm != null) {
      timers.add(vertx.setTimer(Math.max(1, remainingMillis(storm.at().toNanos())), t -> {
        progress.accept(String.format(Locale.ROOT, "%s storm: dropping %.0f%% of held connections%s", elapsed(),
            storm.fraction() * 100, storm.abrupt() ? " without close frames" : ""));
        verticles.forEach(v -> v.storm(storm));
      }));
    }
    timers.add(vertx.setTimer(Math.max(1, remainingMillis(config.duration().toNanos())), t -> endHold()));
    return AdminServer.start(vertx, config.adminHost(), config.adminPort(), registry, () -> state.ready(),
        router -> router.get("/status").handler(rc -> AdminServer.json(rc, 200, status()))).map(server -> {
          admin = server;
          ready = true;
          publish();
          return null;
        });
  }

  /** A context on an event loop no simulator verticle runs on (Vert.x hands out loops in turn). */
  private Context spareContext(List<SimulatorVerticle> deployed) {
    Set<EventLoop> busy = new HashSet<>();
    deployed.forEach(v -> busy.add(v.eventLoop()));
    return VertxInternals.contextOnSpareLoop(vertx, busy).orElseGet(() -> {
      LOG.warning("no event loop left for the simulator node's own work: it shares one with a simulator verticle");
      return VertxInternals.newEventLoopContext(vertx);
    });
  }

  private long remainingMillis(long atNanos) {
    return (runStartNanos + atNanos - System.nanoTime()) / 1_000_000;
  }

  /** The progress lines' time stamp, such as {@code [ 12s]}. */
  private String elapsed() {
    return String.format(Locale.ROOT, "[%3ds]", Math.round((System.nanoTime() - runStartNanos) / 1e9));
  }

  /** Publishes what the context knows now as the one snapshot other threads read. */
  private void publish() {
    long share = shares.share();
    double achieved = ramp.achieved(Math.max(0, share), sampler.lastTotals().closedBy(CloseCause.CHURN), System.nanoTime());
    state = new NodeState(phase, ready, shares.members(), share, shares.canHold(), shares.fleetProblem(), counts.os(),
        counts.cluster(), achieved, sampler.lastLatency(), admin == null ? -1 : admin.actualPort());
  }

  // ---- what runs during the hold

  private void pollMembership() {
    if (!holdEnded) {
      shares.poll(elapsed());
      publish();
    }
  }

  private void watchRamp() {
    if (!holdEnded) {
      ramp.watch(verticles, totals().closedBy(CloseCause.CHURN), System.nanoTime());
    }
  }

  /**
   * Samples the ledgers and prints the progress line now, with the kernel's and the servers'
   * counts as last read; then refreshes those counts in the background.
   */
  private void progressTick() {
    if (holdEnded) {
      return;
    }
    TimelineSample s = sample(System.nanoTime());
    LedgerTotals t = sampler.lastTotals();
    publish();
    progress.accept(ProgressLine.format(s, t.closedBy(CloseCause.CHURN), state.achievedFraction(),
        Durations.format(config.churn().period()), t.errorsTotal()));
    counts.refresh(this::publish);
  }

  private TimelineSample sample(long now) {
    TimelineSample s = sampler.take(now, Math.max(0, shares.share()), counts.os(), counts.cluster(), ramp.doneNanos());
    timeline.add(s);
    return s;
  }

  // ---- the end of the run

  /** Ends the hold now (as if the duration had passed): settle, count, close, report. */
  public void finishNow() {
    Context c = context;
    if (c != null) {
      c.runOnContext(v -> endHold());
    }
  }

  private void endHold() {
    if (holdEnded) {
      return;
    }
    holdEndNanos = System.nanoTime();
    holdEndsAtMillis = Math.min(holdEndsAtMillis, System.currentTimeMillis());
    sample(holdEndNanos);
    holdEnded = true;
    ramp.holdEnded(sampler.lastTotals().closedBy(CloseCause.CHURN), holdEndNanos);
    phase = "settle";
    fleetPhase = ClusterServerCount.SETTLE;
    timers.forEach(vertx::cancelTimer);
    publish();
    new RunEnding(vertx, context, config, verticles, counts, () -> totals().held()).run(new RunEnding.Steps() {
      @Override
      public void settled(boolean quiet) {
        fleetPhase = ClusterServerCount.SETTLED;
      }

      @Override
      public void counted(boolean quiet, RunCounts.Counts c) {
        fleetPhase = ClusterServerCount.COUNTED;
        progress.accept(String.format(Locale.ROOT, "%s settled%s: held %d, os %s, cluster %s (%s)", elapsed(),
            quiet ? "" : " (timed out)", c.simulator(), unknown(c.os()), unknown(c.cluster()), c.servers().compared()));
      }

      @Override
      public void closing() {
        phase = "close";
        fleetPhase = ClusterServerCount.CLOSE;
        publish();
        progress.accept(elapsed() + " closing everything");
      }
    }).map(this::report).onComplete(ar -> {
      phase = "done";
      fleetPhase = ClusterServerCount.DONE;
      publish();
      if (ar.succeeded()) {
        finished.tryComplete(ar.result());
      } else {
        finished.tryFail(ar.cause());
      }
    });
  }

  private static RunFacts.Fleet fleet(ServerCount.Final f) {
    return f.fleet() == null ? null : new RunFacts.Fleet(f.fleet().nodesHeld(), f.fleet().nodes(),
        f.fleet().otherSimulatorsHeld(), f.fleet().otherSimulators());
  }

  private static String unknown(long n) {
    return n < 0 ? "?" : Long.toString(n);
  }

  private RunReport report(RunEnding.Result end) {
    sampler.drainLatency(ramp.doneNanos());
    StormOptions storm = config.churn().storm();
    RunFacts facts = new RunFacts(config,
        new RunFacts.Node(config.nodeId(), shares.members(), verticles.size(),
            vertx.isNativeTransportEnabled() ? "native" : "nio", startedAtMillis, startup.openFiles(),
            shares.fleetProblem()),
        new RunFacts.Phases((holdEndNanos - runStartNanos) / 1e9, end.settleSeconds(), end.settled(), end.closeSeconds()),
        new RunFacts.Ramp(ramp.seconds(), ramp.secondsFromFirstOpen(), ramp.openedByThen(), ramp.windowCloses(),
            ramp.windowSeconds(), storm == null ? Double.NaN : storm.at().toNanos() / 1e9),
        new RunFacts.Observed(totals(), sampler.latencyTotal(), sampler.latencyAfterRamp(), sampler.sendLagTotal(),
            List.copyOf(timeline)),
        new RunFacts.End(Math.max(0, shares.share()), end.counts().simulator(), end.counts().os(), end.counts().cluster(),
            end.counts().servers().compared(), end.counts().servers().notComparable(), fleet(end.counts().servers())));
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
    Context c = context;
    Promise<Void> quiet = Promise.promise();
    if (c == null) {
      quiet.complete();
    } else {
      c.runOnContext(v -> {
        ready = false;
        timers.forEach(vertx::cancelTimer);
        publish();
        quiet.complete();
      });
    }
    return quiet.future().compose(v -> startup.undeploy(vertx)).transform(ar -> {
      directory.close();
      return admin == null ? Future.succeededFuture() : admin.close();
    });
  }

  // ---- what the admin port, the metrics and the command line read (any thread)

  /** The current state as {@code GET /status} shows it. */
  public JsonObject status() {
    JsonObject s = state.status(config, totals(), (System.nanoTime() - runStartNanos) / 1e9);
    RunCounts c = counts; // the kernel count's age and number: read from its counter, any thread may
    s.getJsonObject("counts").put("osAgeMs", c == null ? -1 : c.osAgeMillis()).put("osCounts", c == null ? 0 : c.osCounts());
    return s;
  }

  /** Churn achieved so far, as a fraction per period; NaN before the ramp is done. */
  public double achievedFraction() {
    return state.achievedFraction();
  }

  /** The verticles' ledgers (empty until they are deployed); any thread. */
  List<SimulatorLedger> ledgers() {
    return ledgers;
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
    return state.share() >= 0;
  }

  /** This node's current share of the population. */
  public long share() {
    return Math.max(0, state.share());
  }

  public long held() {
    return totals().held();
  }

  /** The kernel's count of established sockets to the targets, as last sampled (-1 before the first). */
  public long osEstablished() {
    return state.os();
  }

  /** The run's phase as the fleet reads it from this node's snapshot: {@link ClusterServerCount#HOLD} to {@code DONE}. */
  public String fleetPhase() {
    return fleetPhase;
  }

  /** When the hold ends (or ended), epoch milliseconds: the fleet waits for a member ending soon. */
  public long holdEndsAtMillis() {
    return holdEndsAtMillis;
  }

  /** The servers' count, as last read (-1 when unknown). */
  public long clusterHeld() {
    return state.cluster();
  }

  /** Latency of the last progress interval. */
  public LatencySummary lastLatency() {
    return state.latency();
  }

  public int adminPort() {
    return state.adminPort();
  }

  public long openFiles() {
    return startup.openFiles();
  }
}
