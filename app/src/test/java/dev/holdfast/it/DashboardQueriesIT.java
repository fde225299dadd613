package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.observe.GrafanaDashboards;
import dev.holdfast.observe.GrafanaDashboards.PanelQuery;
import dev.holdfast.observe.PrometheusRun;
import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.FreePorts;
import dev.holdfast.testing.TestDeps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of every Grafana panel, and every recording rule, returns data from a real
 * Prometheus scraping a real run: two echo node processes and one simulator process in one
 * cluster, under churn with messages, scraped every second. Queries are sent as Grafana sends
 * them, with the template variables at "All" ({@code .*}) and at one concrete value each. A query
 * that names a metric that does not exist or filters on labels that never match fails the test
 * with its panel and text.
 *
 * <p>With {@code -Dholdfast.screenshots=DIR} it also saves Prometheus's graph page of the
 * overview's queries as PNGs (headless Chromium), the pictures in the README.
 */
class DashboardQueriesIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int POPULATION = 200;

  private final List<HoldfastProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private PrometheusRun prometheus;

  @AfterEach
  void tearDown() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    for (HoldfastProcess p : processes) {
      p.close();
    }
  }

  private HoldfastProcess start(String... args) throws Exception {
    HoldfastProcess p = HoldfastProcess.start(args);
    processes.add(p);
    return p;
  }

  private static JsonObject get(int adminPort, String path) {
    try {
      return new JsonObject(NodeProcessIT.get(adminPort, path));
    } catch (Exception e) {
      return new JsonObject().put("error", e.toString());
    }
  }

  @Test
  void everyPanelQueryAndRecordingRuleReturnsDataFromARealRun(@TempDir Path dir) throws Exception {
    TestDeps.require("prometheus");
    String cluster = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    Path nodeConfig = dir.resolve("node.json");
    Files.writeString(nodeConfig, new JsonObject().put("instances", 1).put("osCountInterval", "1s")
        .put("cluster", new JsonObject().put("name", cluster).put("publishInterval", "500ms")).encode());
    HoldfastProcess n1 = start("node", "--config", nodeConfig.toString(), "--node-id", "dash-n1",
        "--port", Integer.toString(FreePorts.belowEphemeralRange()), "--admin-port", "0");
    int n1Admin = n1.adminPort();
    HoldfastProcess n2 = start("node", "--config", nodeConfig.toString(), "--node-id", "dash-n2",
        "--port", Integer.toString(FreePorts.belowEphemeralRange()), "--admin-port", "0");
    int n2Admin = n2.adminPort();
    JsonObject twoNodes = Eventually.poll(DEADLINE, () -> get(n1Admin, "/cluster"),
        c -> c.getJsonObject("totals", new JsonObject()).getInteger("nodes", 0) == 2);
    assertThat(twoNodes.getJsonObject("totals").getInteger("nodes")).as(twoNodes::encodePrettily).isEqualTo(2);

    Path simConfig = dir.resolve("sim.json");
    Files.writeString(simConfig, new JsonObject()
        .put("targets", "cluster").put("population", POPULATION).put("instances", 1)
        .put("ramp", new JsonObject().put("perSecond", 500).put("inFlight", 100))
        .put("churn", new JsonObject().put("fraction", 0.3).put("period", "10s")
            .put("reconnectDelay", new JsonArray().add("100ms").add("500ms")))
        .put("messages", new JsonObject().put("interval", "1s").put("payloadBytes", 64))
        .put("progressInterval", "5s").put("adminPort", 0)
        .put("cluster", new JsonObject().put("name", cluster).put("publishInterval", "500ms")).encode());
    HoldfastProcess sim = start("simulate", "--config", simConfig.toString(), "--node-id", "dash-sim",
        "--duration", "180s", "--source-address", "127.0.0.2");
    int simAdmin = sim.adminPort();

    prometheus = PrometheusRun.start(List.of(
        new PrometheusRun.Target("node", "dash-n1", "127.0.0.1:" + n1Admin, cluster),
        new PrometheusRun.Target("node", "dash-n2", "127.0.0.1:" + n2Admin, cluster),
        new PrometheusRun.Target("simulator", "dash-sim", "127.0.0.1:" + simAdmin, cluster)),
        dir.resolve("prometheus"), Duration.ofSeconds(1));
    JsonObject held = Eventually.poll(DEADLINE, () -> get(simAdmin, "/status"),
        s -> s.getJsonObject("population", new JsonObject()).getLong("held", -1L) >= POPULATION * 0.95);
    assertThat(held.getJsonObject("population").getLong("held")).as(sim::output).isGreaterThanOrEqualTo((long) (POPULATION * 0.95));

    // the variables as Grafana would fill them from its label_values() queries
    assertThat(labelValues("cluster", "up{job=\"holdfast\"}")).contains(cluster);
    assertThat(labelValues("node", "holdfast_connections_held{cluster=~\"" + cluster + "\"}"))
        .containsExactlyInAnyOrder("dash-n1", "dash-n2");
    assertThat(labelValues("node", "holdfast_sim_held{cluster=~\"" + cluster + "\"}")).containsExactly("dash-sim");

    List<Map<String, String>> variations = List.of(
        Map.of("cluster", ".*", "node", ".*", "simulator", ".*"),
        Map.of("cluster", GrafanaDashboards.regexValue(cluster), "node", "dash-n1", "simulator", "dash-sim"));
    Map<String, String> queries = new LinkedHashMap<>(); // query -> where it comes from
    for (Path file : GrafanaDashboards.files()) {
      for (PanelQuery q : GrafanaDashboards.queries(GrafanaDashboards.read(file))) {
        for (Map<String, String> v : variations) {
          queries.putIfAbsent(GrafanaDashboards.substitute(q.expr(), v),
              "dashboard \"" + q.dashboard() + "\", panel \"" + q.panel() + "\" with " + v);
        }
      }
    }
    for (String[] rule : recordingRules()) {
      queries.putIfAbsent(rule[1], "recording rule " + rule[0]);
      queries.putIfAbsent(rule[0], "the series recorded by " + rule[0]);
    }

    // poll them all until each has returned data once, or the deadline passes
    Set<String> pending = new LinkedHashSet<>(queries.keySet());
    Map<String, String> lastAnswer = new LinkedHashMap<>();
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < end) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        String q = it.next();
        JsonObject answer = query(q);
        assertThat(answer.getString("status")).as(() -> queries.get(q) + ": Prometheus refused\n  " + q + "\n  " + answer.encode())
            .isEqualTo("success");
        if (!answer.getJsonObject("data").getJsonArray("result").isEmpty()) {
          it.remove();
        } else {
          lastAnswer.put(q, answer.encode());
        }
      }
      if (!pending.isEmpty()) {
        TimeUnit.MILLISECONDS.sleep(500); // the next scrape, not a guess at readiness: the loop has its deadline
      }
    }
    List<String> empty = pending.stream().map(q -> queries.get(q) + "\n    " + q + "\n    " + lastAnswer.get(q)).toList();
    assertThat(empty).as("queries that returned no data within " + DEADLINE + " (of " + queries.size() + ")").isEmpty();
    System.out.println(queries.size() + " dashboard and recording-rule queries returned data");

    String shots = System.getProperty("holdfast.screenshots");
    if (shots != null && !shots.isBlank()) {
      screenshots(Path.of(shots));
    }
  }

  private JsonObject query(String promql) throws Exception {
    URI uri = prometheus.url().resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  private List<String> labelValues(String label, String match) throws Exception {
    URI uri = prometheus.url().resolve("/api/v1/label/" + label + "/values?match[]="
        + URLEncoder.encode(match, StandardCharsets.UTF_8));
    List<String> values = Eventually.poll(DEADLINE, () -> {
      try {
        JsonArray data = new JsonObject(http.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("data");
        return data.stream().map(Object::toString).toList();
      } catch (Exception e) {
        return List.<String>of();
      }
    }, l -> !l.isEmpty());
    return values;
  }

  /** (record, expr) of every recording rule, read from the file Prometheus loaded. */
  private List<String[]> recordingRules() throws Exception {
    JsonObject rules = new JsonObject(http.send(HttpRequest.newBuilder(prometheus.url().resolve("/api/v1/rules?type=record")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    List<String[]> out = new ArrayList<>();
    for (Object g : rules.getJsonObject("data").getJsonArray("groups")) {
      for (Object r : ((JsonObject) g).getJsonArray("rules")) {
        JsonObject rule = (JsonObject) r;
        out.add(new String[] {rule.getString("name"), rule.getString("query")});
      }
    }
    assertThat(out).as("recording rules loaded").hasSizeGreaterThanOrEqualTo(10);
    return out;
  }

  /** Prometheus's graph page of the overview's queries (variables at All), as PNGs. */
  private void screenshots(Path dir) throws Exception {
    TestDeps.require("chromium");
    Files.createDirectories(dir);
    JsonObject overview = GrafanaDashboards.read(GrafanaDashboards.files().stream()
        .filter(p -> p.getFileName().toString().equals("holdfast-overview.json")).findFirst().orElseThrow());
    List<PanelQuery> qs = GrafanaDashboards.queries(overview);
    Map<String, String> all = Map.of("cluster", ".*", "node", ".*", "simulator", ".*");
    int perPage = 6;
    for (int page = 0; page * perPage < qs.size(); page++) {
      StringBuilder url = new StringBuilder(prometheus.url() + "/graph?");
      List<PanelQuery> slice = qs.subList(page * perPage, Math.min(qs.size(), (page + 1) * perPage));
      for (int i = 0; i < slice.size(); i++) {
        String g = "g" + i + ".";
        url.append(i == 0 ? "" : "&").append(g).append("expr=")
            .append(URLEncoder.encode(GrafanaDashboards.substitute(slice.get(i).expr(), all), StandardCharsets.UTF_8))
            .append('&').append(g).append("tab=0&").append(g).append("range_input=2m");
      }
      Path png = dir.resolve(String.format("prometheus-overview-%d.png", page + 1));
      Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=8000",
          "--screenshot=" + png.toAbsolutePath(), "--window-size=1400,2600", url.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium ends").isTrue();
      assertThat(png).as("screenshot " + png).exists();
      System.out.println("screenshot: " + png + " (" + slice.size() + " queries)");
    }
  }
}
