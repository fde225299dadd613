package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import dev.holdfast.demo.ChurnRate;
import dev.holdfast.demo.DemoPlan;
import dev.holdfast.demo.DemoReport;
import dev.holdfast.demo.DemoRun;
import dev.holdfast.observe.PrometheusRun;
import dev.holdfast.demo.DemoSettings;
import dev.holdfast.simulator.config.SimulatorConfig;
import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code holdfast demo}: the main job in one command, on one machine. Starts a local cluster of
 * echo-node processes and simulator processes (each a JVM of this jar), holds a churning
 * population, shows one live view, and ends with the report. Exit codes: 0 a clean run, 1 not
 * clean (a child died, a verdict or threshold failed), 2 config error or a population the
 * processes cannot hold, 130 ended by Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Starts a local cluster of echo nodes and a simulator fleet, each its own process,",
        "holds a churning population, shows one live view, and ends with a report",
        "(report.json, report.txt, report.html in the run folder).",
        "Exit codes: 0 clean, 1 not clean, 2 config error or refused, 130 Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

  static final int DEFAULT_NODES = 2;
  static final int DEFAULT_SIMULATORS = 2;
  static final long DEFAULT_CONNECTIONS = 4000;
  static final String DEFAULT_CHURN = "0.2/10s";
  static final String DEFAULT_INTERVAL = "5s";
  static final String DEFAULT_DURATION = "30s";
  /**
   * The simulators' settle timeout unless the config gives one: it also bounds how long a simulator
   * waits for the rest of the fleet to settle before its final count, and the simulators of a demo
   * start (so end) seconds apart, more as their number grows.
   */
  static final String DEFAULT_SETTLE_TIMEOUT = "30s";
  /** Exit code when Ctrl-C ended the run (128 + SIGINT, as shells report it). */
  static final int INTERRUPTED = 130;

  @Option(names = "--nodes", paramLabel = "N", description = "Echo-node processes (default " + DEFAULT_NODES + ")")
  Integer nodes;

  @Option(names = "--simulators", paramLabel = "N", description = "Simulator processes (default " + DEFAULT_SIMULATORS + ")")
  Integer simulators;

  @Option(names = "--connections", paramLabel = "N",
      description = "Population held across the fleet (default: the config's population, else " + DEFAULT_CONNECTIONS + ")")
  Long connections;

  @Option(names = "--churn", paramLabel = "FRACTION/PERIOD",
      description = "Churn, e.g. 0.2/1m (default: the config's churn, else " + DEFAULT_CHURN + ")")
  String churn;

  @Option(names = "--interval", paramLabel = "DURATION",
      description = "Message interval per connection (default: the config's, else " + DEFAULT_INTERVAL + ")")
  String interval;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "How long the population is held, ramp included (default: the config's, else " + DEFAULT_DURATION + ")")
  String duration;

  @Option(names = "--prometheus",
      description = "Also start a Prometheus (Debian's prometheus package) scraping every process each second, and print its URL; it stops with the demo")
  boolean prometheus;

  @Option(names = "--config", paramLabel = "FILE", description = "A simulator JSON config (as for simulate --config)")
  Path config;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Run folder for reports, child logs and children.json (default: ./holdfast-demo-DATE-TIME)")
  Path out;

  @Override
  public Integer call() throws Exception {
    DemoSettings settings;
    DemoPlan plan;
    try {
      JsonObject json = config == null ? new JsonObject() : ConfigReader.readFile(config);
      // flags override the file, the file overrides the demo's defaults; a bad value in the file is
      // left for the simulator config's validation to name
      putOrDefault(json, "population", connections, DEFAULT_CONNECTIONS);
      JsonObject churnJson = object(json, "churn");
      if (churn != null) {
        ChurnRate given = ChurnRate.parse(churn);
        churnJson.put("fraction", given.fraction()).put("period", Durations.format(given.period()));
      } else {
        ChurnRate def = ChurnRate.parse(DEFAULT_CHURN);
        putOrDefault(churnJson, "fraction", null, def.fraction());
        putOrDefault(churnJson, "period", null, Durations.format(def.period()));
      }
      putOrDefault(object(json, "messages"), "interval", interval, DEFAULT_INTERVAL);
      putOrDefault(json, "duration", duration, DEFAULT_DURATION);
      putOrDefault(json, "settleTimeout", null, DEFAULT_SETTLE_TIMEOUT);
      JsonObject ramp = object(json, "ramp");
      boolean rampGiven = ramp.containsKey("perSecond");
      // the same validation as simulate --config, before anything starts (the ramp is the demo's unless given)
      JsonObject probe = json.copy().put("targets", SimulatorConfig.CLUSTER_TARGETS);
      if (!rampGiven && probe.getValue("ramp") instanceof JsonObject probeRamp) {
        probeRamp.put("perSecond", 10_000_000);
      }
      SimulatorConfig checked = SimulatorConfig.fromJson(probe);
      long population = checked.population();
      ChurnRate rate = new ChurnRate(checked.churn().fraction(), checked.churn().period());
      DemoPlan.Machine machine = DemoPlan.Machine.here();
      if (!rampGiven) {
        ramp.put("perSecond", DemoPlan.rampPerSecond(population, rate.perSecond(population), machine.cores()));
      }
      int n = nodes != null ? nodes : DEFAULT_NODES;
      int s = simulators != null ? simulators : DEFAULT_SIMULATORS;
      if (n < 1 || s < 1 || population < 1) {
        throw new ConfigException(n < 1 ? "--nodes" : s < 1 ? "--simulators" : "$.population (--connections)",
            "must be at least 1");
      }
      try {
        plan = DemoPlan.of(n, s, population, checked.tolerance(), rate.perSecond(population), machine);
      } catch (DemoPlan.Refused r) {
        System.err.println("holdfast demo: refused before starting anything: " + r.getMessage());
        return Holdfast.USAGE;
      }
      settings = new DemoSettings(n, s, population, rate, checked.messages().interval(), checked.duration(), json,
          runFolder(), jar(), System.console() != null);
      SimulatorConfig.fromJson(DemoRun.simulatorConfig(settings, plan, "check", 0, 0));
    } catch (ConfigException e) {
      return Cli.configError("demo", e);
    }
    if (prometheus && !java.nio.file.Files.isExecutable(PrometheusRun.DEFAULT_BINARY)) {
      System.err.println("holdfast demo: --prometheus needs " + PrometheusRun.DEFAULT_BINARY
          + ": install it with `bin/install-test-deps prometheus` (or apt-get install prometheus)");
      return Holdfast.USAGE;
    }
    DemoRun run = new DemoRun(settings, plan, System.out).withPrometheus(prometheus);
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      // Ctrl-C: end the run now; the report is written and the children stopped before the JVM exits
      run.stop("Ctrl-C");
      try {
        reported.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "holdfast-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted;
    DemoReport report;
    try {
      report = run.run();
    } finally {
      interrupted = isShuttingDown(hook);
      reported.countDown();
    }
    if (interrupted) {
      return INTERRUPTED;
    }
    return report.ok() ? 0 : Holdfast.FAILED;
  }

  /** True when the JVM is already shutting down (the hook can no longer be removed). */
  private static boolean isShuttingDown(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }

  /** The flag's value if given, else the file's, else the default. */
  private static void putOrDefault(JsonObject json, String field, Object flag, Object def) {
    if (flag != null) {
      json.put(field, flag);
    } else if (!json.containsKey(field)) {
      json.put(field, def);
    }
  }

  /** {@code json.field} as an object, created when absent (a non-object is left for validation to name). */
  private static JsonObject object(JsonObject json, String field) {
    if (json.getValue(field) instanceof JsonObject o) {
      return o;
    }
    JsonObject o = new JsonObject();
    if (!json.containsKey(field)) {
      json.put(field, o);
    }
    return o;
  }

  private Path runFolder() {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      dir = Path.of("holdfast-demo-" + stamp);
      for (int i = 2; Files.exists(dir); i++) {
        dir = Path.of("holdfast-demo-" + stamp + "-" + i);
      }
    }
    return dir.toAbsolutePath();
  }

  /** The jar this process runs from: every child runs the same one. */
  private static Path jar() {
    try {
      Path p = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(p)) {
        return p;
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the build's jar
    }
    Path built = Path.of(System.getProperty("holdfast.jar", "app/target/holdfast.jar"));
    if (!Files.isRegularFile(built)) {
      throw new ConfigException("--jar", "holdfast.jar not found (not run from the jar, and " + built
          + " is missing); build it first: mvn -B -q -DskipTests package");
    }
    return built.toAbsolutePath();
  }

}
