package dev.holdfast.observe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus scraping a local holdfast cluster, for the demo and the tests: copies
 * {@code dashboards/prometheus/} (scrape config and rules, packaged in the jar) into a work
 * folder with the scrape interval asked for, writes the file-SD target file
 * ({@code targets/holdfast.json}) for the given processes, starts {@code /usr/bin/prometheus} on a
 * free loopback port with its storage in the work folder, and returns once it is ready. Closing
 * stops it by its PID.
 *
 * <pre>{@code
 * try (PrometheusRun prometheus = PrometheusRun.start(List.of(
 *     new PrometheusRun.Target("node", "n1", "127.0.0.1:9090", "demo"),
 *     new PrometheusRun.Target("simulator", "sim-1", "127.0.0.1:9190", "demo")), workDir, Duration.ofSeconds(1))) {
 *   System.out.println("Prometheus: " + prometheus.url() + "/graph");
 *   ...
 * }
 * }</pre>
 */
public final class PrometheusRun implements AutoCloseable {

  /** Where Debian's {@code prometheus} package (2.42 on bookworm) puts the server. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/prometheus");
  /** The files of {@code dashboards/prometheus/} a run needs, as packaged under {@code dashboards/prometheus/} on the class path. */
  static final List<String> CONFIG_FILES =
      List.of("prometheus.yml", "rules/holdfast-recording.yml", "rules/holdfast-alerts.yml");
  static final String TARGET_FILE = "targets/holdfast.json";
  private static final Pattern INTERVAL = Pattern.compile("(?m)^(  (?:scrape|evaluation)_interval: )\\S+$");
  private static final int PORT_ATTEMPTS = 3;

  /** One process to scrape: its role ({@code node} or {@code simulator}), node id, admin {@code host:port} and cluster. */
  public record Target(String role, String nodeId, String adminHostPort, String cluster) {
  }

  private final Process process;
  private final URI url;
  private final Path workDir;

  private PrometheusRun(Process process, URI url, Path workDir) {
    this.process = process;
    this.url = url;
    this.workDir = workDir;
  }

  /** Starts {@link #DEFAULT_BINARY} scraping {@code targets} every {@code scrapeInterval}; waits up to 30 s for it to be ready. */
  public static PrometheusRun start(List<Target> targets, Path workDir, Duration scrapeInterval)
      throws IOException, InterruptedException {
    return start(DEFAULT_BINARY, targets, workDir, scrapeInterval, Duration.ofSeconds(30));
  }

  /**
   * Starts {@code binary} scraping {@code targets} every {@code scrapeInterval} (rules evaluated as
   * often), with its config, target file, storage and log ({@code prometheus.log}) in {@code workDir}.
   *
   * @throws IOException when it cannot start or is not ready within {@code readyDeadline}; the message carries its log
   */
  public static PrometheusRun start(Path binary, List<Target> targets, Path workDir, Duration scrapeInterval,
      Duration readyDeadline) throws IOException, InterruptedException {
    if (!Files.isExecutable(binary)) {
      throw new IOException(binary + " not found: install Prometheus (Debian: apt-get install prometheus)");
    }
    writeConfig(workDir, scrapeInterval);
    writeTargets(workDir, targets);
    Path log = workDir.resolve("prometheus.log");
    IOException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int port = freeLoopbackPort();
      Process p = new ProcessBuilder(binary.toString(),
          "--config.file=" + workDir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + workDir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--web.enable-lifecycle")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      URI url = URI.create("http://127.0.0.1:" + port);
      PrometheusRun run = new PrometheusRun(p, url, workDir);
      try {
        run.awaitReady(readyDeadline);
        return run;
      } catch (IOException e) {
        run.close();
        last = e;
        // another process took the port between our probe and Prometheus's bind: try another
        if (!Files.readString(log).contains("address already in use")) {
          break;
        }
      }
    }
    throw last;
  }

  /** Replaces the target file; Prometheus picks the change up within its refresh interval (5 s). */
  public void updateTargets(List<Target> targets) throws IOException {
    writeTargets(workDir, targets);
  }

  /** Prometheus's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  public Path workDir() {
    return workDir;
  }

  /** Stops Prometheus by its PID: SIGTERM, then SIGKILL if it has not ended within 10 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.toHandle().destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private void awaitReady(Duration deadline) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + logText());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("prometheus not ready within " + deadline + ":\n" + logText());
  }

  private String logText() {
    try {
      return Files.readString(workDir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Copies the packaged config and rules into {@code workDir}, with both intervals set to {@code interval}. */
  static void writeConfig(Path workDir, Duration interval) throws IOException {
    for (String name : CONFIG_FILES) {
      Path to = workDir.resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in = PrometheusRun.class.getResourceAsStream("/dashboards/prometheus/" + name)) {
        if (in == null) {
          throw new IOException("dashboards/prometheus/" + name + " is not on the class path (is this holdfast.jar?)");
        }
        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, withInterval(Files.readString(config), interval));
    Files.createDirectories(workDir.resolve("targets"));
  }

  /** The config text with its global scrape and evaluation intervals set to {@code interval}. */
  static String withInterval(String config, Duration interval) {
    Matcher m = INTERVAL.matcher(config);
    int found = 0;
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      found++;
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + interval.toMillis() + "ms"));
    }
    m.appendTail(out);
    if (found != 2) {
      throw new IllegalStateException("prometheus.yml should set global scrape_interval and evaluation_interval,"
          + " each on a line of its own; found " + found);
    }
    return out.toString();
  }

  /** Writes the target file atomically (temporary file, then rename), so Prometheus never reads half of it. */
  static void writeTargets(Path workDir, List<Target> targets) throws IOException {
    Path file = workDir.resolve(TARGET_FILE);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(".holdfast.json.tmp");
    Files.writeString(tmp, targetsJson(targets), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The file-SD JSON: one target group per process, labelled with its role, node and cluster. */
  static String targetsJson(List<Target> targets) {
    JsonArray groups = new JsonArray();
    for (Target t : targets) {
      groups.add(new JsonObject()
          .put("targets", new JsonArray().add(t.adminHostPort()))
          .put("labels", new JsonObject().put("role", t.role()).put("node", t.nodeId()).put("cluster", t.cluster())));
    }
    return groups.encodePrettily();
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
