package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import dev.holdfast.demo.ChurnRate;
import dev.holdfast.demo.DemoPlan;
import dev.holdfast.demo.DemoReport;
import dev.holdfast.demo.DemoRun;
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
      long population = connections != null ? connections : json.getLong("population", DEFAULT_CONNECTIONS);
      JsonObject churnJson = json.getValue("churn") instanceof JsonObject o ? o : new JsonObject();
      ChurnRate rate = churn != null ? ChurnRate.parse(churn) : ChurnRate.parse(
          churnJson.getValue("fraction", 0.2) + "/" + churnJson.getValue("period", "10s"));
      json.put("population", population);
      json.put("churn", churnJson.put("fraction", rate.fraction()).put("period", Durations.format(rate.period())));
      JsonObject messages = json.getValue("messages") instanceof JsonObject o ? o : new JsonObject();
      json.put("messages", messages.put("interval", interval != null ? interval : messages.getValue("interval", DEFAULT_INTERVAL)));
      json.put("duration", duration != null ? duration : json.getValue("duration", DEFAULT_DURATION));
      JsonObject ramp = json.getValue("ramp") instanceof JsonObject o ? o : new JsonObject();
      if (!ramp.containsKey("perSecond")) {
        json.put("ramp", ramp.put("perSecond", DemoPlan.rampPerSecond(population, rate.perSecond(population))));
      }
      // the same validation as simulate --config, before anything starts
      SimulatorConfig checked = SimulatorConfig.fromJson(json.copy().put("targets", SimulatorConfig.CLUSTER_TARGETS));
      int n = nodes != null ? nodes : DEFAULT_NODES;
      int s = simulators != null ? simulators : DEFAULT_SIMULATORS;
      if (n < 1 || s < 1 || population < 1) {
        throw new ConfigException(n < 1 ? "--nodes" : s < 1 ? "--simulators" : "--connections",
            "must be at least 1");
      }
      try {
        plan = DemoPlan.of(n, s, population, checked.tolerance(), rate.perSecond(population), DemoPlan.Machine.here());
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
    DemoRun run = new DemoRun(settings, plan, System.out);
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
