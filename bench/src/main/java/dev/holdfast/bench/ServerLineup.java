package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The servers a benchmark runs in turn, and how each is started: the plain-Netty and stock Vert.x
 * baselines from the bench jar, the holdfast node (standalone, clustered, or with its OS count read
 * hourly) from its own jar; all with the same java, event loops and CPU pinning, from copies of both
 * jars taken at the start (so a rebuild during a run cannot mix two builds), on free ports above a
 * base. It remembers what it started, so a harness's shutdown hook can end those processes by PID.
 */
final class ServerLineup {

  /** Every server kind a harness may name. */
  static final List<String> KINDS = List.of("netty", "vertx", "holdfast", "holdfast-clustered", "holdfast-os1h");

  /** A started server: its process, its WebSocket port and, for the node, its admin port (else -1). */
  record Started(String name, ServerProcess process, int port, int adminPort) {
  }

  private final Path logDir;
  private final Path holdfastJarGiven;
  private final Path benchJarGiven;
  private final int threads;
  private final String pin;
  private final List<String> serverLauncher;
  private final List<String> driverLauncher;
  private final String tlsCert;
  private final String tlsKey;
  private final int basePort;
  private final List<ServerProcess> running = new CopyOnWriteArrayList<>();
  private final List<DriverProcess> drivers = new CopyOnWriteArrayList<>();
  private final List<Process> burners = new CopyOnWriteArrayList<>();
  private Path holdfastJar;
  private Path benchJar;
  private int nextPort;

  /**
   * @param pin {@code SERVER_CPUS:DRIVER_CPUS} for taskset, or empty
   * @param tlsCert PEM certificate every server serves {@code wss://} with, or empty for {@code ws://}
   */
  ServerLineup(Path logDir, Path holdfastJarGiven, Path benchJarGiven, int threads, String pin, String tlsCert,
      String tlsKey, int basePort) {
    this.logDir = logDir;
    this.holdfastJarGiven = holdfastJarGiven;
    this.benchJarGiven = benchJarGiven;
    this.threads = threads;
    this.pin = pin;
    if (pin.isEmpty()) {
      serverLauncher = List.of();
      driverLauncher = List.of();
    } else {
      String[] cpus = pin.split(":");
      if (cpus.length != 2 || !cpus[0].matches("[0-9,-]+") || !cpus[1].matches("[0-9,-]+")) {
        throw new IllegalArgumentException("--pin: \"" + pin + "\" is not SERVER_CPUS:DRIVER_CPUS (e.g. 0:1 or 0-1:2-3)");
      }
      serverLauncher = List.of("taskset", "-c", cpus[0]);
      driverLauncher = List.of("taskset", "-c", cpus[1]);
    }
    this.tlsCert = tlsCert;
    this.tlsKey = tlsKey;
    this.basePort = basePort;
    this.nextPort = basePort + 1;
  }

  /** Fails with the fix when a named server is unknown or the node's jar is missing. */
  void check(String role, List<String> servers) {
    for (String s : servers) {
      if (!KINDS.contains(s)) {
        throw new IllegalArgumentException(role + ": unknown server " + s + "; use " + String.join(", ", KINDS));
      }
    }
    if (!Files.isRegularFile(holdfastJarGiven) && servers.stream().anyMatch(s -> s.startsWith("holdfast"))) {
      throw new IllegalArgumentException(role + ": " + holdfastJarGiven + " is missing; build it with "
          + "(mvn -B -q -DskipTests package) or pass --holdfast-jar");
    }
  }

  /**
   * Fails with the fix when {@code connections} do not fit one process's open-file limit, or the
   * source addresses' ephemeral ports cannot take {@code connections + extra} connects.
   */
  static void checkLimits(String role, int connections, long extra, int sources) {
    long files = ProcStats.openFileLimit();
    if (files > 0 && connections + 500 > files) {
      throw new IllegalArgumentException(role + ": " + connections + " connections do not fit one process's "
          + "open-file limit of " + files + " (with 500 to spare); lower --connections or raise ulimit -n");
    }
    long ports = (long) sources * (ProcStats.ephemeralPorts() - 1000);
    if (connections + extra > ports) {
      throw new IllegalArgumentException(role + ": " + sources + " source addresses give about " + ports
          + " ephemeral ports; raise --sources for " + connections + " connections");
    }
  }

  /** Copies both jars into the log folder; every server and driver of the run starts from the copies. */
  void copyJars() throws IOException {
    Files.createDirectories(logDir);
    benchJar = logDir.resolve("holdfast-bench.jar");
    Files.copy(benchJarGiven, benchJar);
    if (Files.isRegularFile(holdfastJarGiven)) {
      holdfastJar = logDir.resolve("holdfast.jar");
      Files.copy(holdfastJarGiven, holdfastJar);
    }
  }

  /** Deletes the copies (the report names the originals by size and hash). */
  void deleteJars() throws IOException {
    Files.deleteIfExists(benchJar);
    if (holdfastJar != null) {
      Files.deleteIfExists(holdfastJar);
    }
  }

  Path benchJar() {
    return benchJar;
  }

  String holdfastIdentity() {
    return Machine.fileIdentity(holdfastJarGiven);
  }

  String benchIdentity() {
    return Machine.fileIdentity(benchJarGiven);
  }

  String pin() {
    return pin;
  }

  List<String> driverLauncher() {
    return driverLauncher;
  }

  /** The CPUs a server may run on: the pinned set's size, else every core of the machine. */
  int serverCores() {
    if (pin.isEmpty()) {
      return Runtime.getRuntime().availableProcessors();
    }
    int n = 0;
    for (String part : pin.split(":")[0].split(",")) {
      String[] r = part.split("-");
      n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
    }
    return n;
  }

  /**
   * Starts {@code server} as {@code java FLAGS -jar JAR ...} with its log in the log folder;
   * {@code nodeConfig} is merged into the node's config file (ignored by the baselines).
   */
  Started start(String server, String label, Path java, String jvmFlags, int round, JsonObject nodeConfig)
      throws IOException {
    int port = freePort();
    boolean node = server.startsWith("holdfast");
    int adminPort = node ? freePort() : -1;
    String t = Integer.toString(threads);
    List<String> args = new ArrayList<>(switch (server) {
      case "netty" -> List.of("netty-echo", "--port", Integer.toString(port), "--threads", t);
      case "vertx" -> List.of("vertx-echo", "--port", Integer.toString(port), "--threads", t);
      case "holdfast-clustered" -> List.of("node", "--cluster-name", "bench-" + UUID.randomUUID(), "--port",
          Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--instances", t);
      default -> List.of("node", "--standalone", "--port", Integer.toString(port), "--admin-port",
          Integer.toString(adminPort), "--instances", t);
    });
    JsonObject config = nodeConfig.copy();
    if (server.equals("holdfast-os1h")) {
      // a diagnostic row: what the node's periodic OS count costs
      config.put("osCountInterval", "1h");
    }
    if (!tlsCert.isEmpty()) {
      if (node) {
        config.put("tlsCertFile", tlsCert).put("tlsKeyFile", tlsKey);
      } else {
        args.addAll(List.of("--tls-cert", tlsCert, "--tls-key", tlsKey));
      }
    }
    String name = (label.equals(server) ? server : server + "-" + label) + "-r" + round;
    if (node && !config.isEmpty()) {
      Path file = logDir.resolve(name + "-config.json");
      Files.writeString(file, config.encodePrettily() + "\n");
      args.addAll(List.of("--config", file.toString()));
    }
    ServerProcess s = ServerProcess.start(name, serverLauncher, java, Arrays.asList(jvmFlags.trim().split("\\s+")),
        node ? holdfastJar : benchJar, args, logDir.resolve(name + ".log"));
    running.add(s);
    step(label, "started pid %d: %s", s.pid(), s.command());
    return new Started(name, s, port, adminPort);
  }

  /** Waits until the server listens and, for the node, answers {@code /status}. */
  void awaitReady(Started s) throws IOException, InterruptedException {
    s.process().awaitListening(s.port(), Duration.ofSeconds(90));
    if (s.adminPort() > 0) {
      awaitStatus(s.adminPort(), Duration.ofSeconds(60));
    }
  }

  /** SIGTERM to the server's PID (SIGKILL after 30 s); returns its exit code. */
  int stop(Started s) throws InterruptedException {
    int code = s.process().stop(Duration.ofSeconds(30));
    running.remove(s.process());
    return code;
  }

  /** Starts a load driver (under the driver's pinning) and remembers it for the shutdown hook. */
  DriverProcess startDriver(Path java, String driverFlags, List<String> args, Path log) throws IOException {
    DriverProcess d = DriverProcess.start(driverLauncher, java, Arrays.asList(driverFlags.trim().split("\\s+")), benchJar,
        args, log);
    drivers.add(d);
    return d;
  }

  void endDriver(DriverProcess d) {
    d.kill();
    drivers.remove(d);
  }

  /**
   * Starts a CPU burner ({@link CpuBurner}, under the servers' pinning so it competes with them),
   * which ends by itself after {@code seconds}.
   */
  Process startBurner(Path java, int threads, int seconds, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(serverLauncher);
    cmd.addAll(List.of(java.toString(), "-jar", benchJar.toString(), "burn", "--threads", Integer.toString(threads),
        "--seconds", Integer.toString(seconds)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    burners.add(p);
    return p;
  }

  /** SIGTERM to the burner's PID, SIGKILL if it has not gone within 10 s. */
  void stopBurner(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    burners.remove(p);
  }

  /** For a harness's shutdown hook: ends every driver, burner and server still running, by PID. */
  void killLeftovers() {
    drivers.forEach(DriverProcess::kill);
    burners.forEach(Process::destroyForcibly);
    running.forEach(ServerProcess::kill);
  }

  /** The driver's source addresses, 127.0.0.2 onwards (its default). */
  static List<String> driverSources(int sources) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      out.add("127.0.0." + (2 + i));
    }
    return out;
  }

  private int freePort() {
    for (int p = nextPort; p < basePort + 1000; p++) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("127.0.0.1", p));
        nextPort = p + 1;
        return p;
      } catch (IOException inUse) {
        // try the next
      }
    }
    throw new IllegalStateException("no free port in " + basePort + ".." + (basePort + 1000) + "; pass --base-port");
  }

  /** The node's {@code GET /status}. */
  static JsonObject status(int adminPort) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status")).timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/status answered " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  private static void awaitStatus(int adminPort, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        status(adminPort);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("holdfast /status did not answer within " + max.toSeconds() + " s: " + e.getMessage());
        }
        Thread.sleep(200);
      }
    }
  }

  /** Waits until the kernel lists no established socket on the server's port; fails after {@code max}. */
  static void awaitNoneEstablished(int port, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Map<String, Long> left;
    while (!(left = ProcStats.establishedOn("127.0.0.1", port)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("connections still established on port " + port + " after " + max.toSeconds()
            + " s: " + left);
      }
      Thread.sleep(50);
    }
  }

  /** A progress line: time, row label, what happened. */
  static void step(String label, String fmt, Object... args) {
    System.out.printf("[%tT] %-18s %s%n", System.currentTimeMillis(), label, String.format(fmt, args));
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  /** Where this jar is: {@code repo/bench/target/holdfast-bench.jar} when run from a build. */
  static Path ownJar() {
    try {
      return Path.of(ServerLineup.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate holdfast-bench.jar", e);
    }
  }
}
