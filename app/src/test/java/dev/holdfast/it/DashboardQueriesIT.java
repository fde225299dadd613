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
  private static final Duration PICTURE_RANGE = Duration.ofSeconds(110);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private PrometheusRun prometheus;

  /** The admin port's JSON answer, or an empty object while the process is not answering yet. */
  private static JsonObject adminJson(int adminPort, String path) {
    String body;
    try {
      body = NodeProcessIT.get(adminPort, path);
    } catch (Exception notYet) {
      return new JsonObject();
    }
    return new JsonObject(body);
  }

  @Test
  void everyPanelQueryAndRecordingRuleReturnsDataFromARealRun(@TempDir Path dir) throws Exception {
    TestDeps.require("prometheus");
    String cluster = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    Path nodeConfig = dir.resolve("node.json");
    Files.writeString(nodeConfig, new JsonObject().put("instances", 1).put("osCountInterval", "1s")
        .put("cluster", new JsonObject().put("name", cluster).put("publishInterval", "500ms")).encode());
    try (HoldfastProcess n1 = node(nodeConfig, "dash-n1"); HoldfastProcess n2 = node(nodeConfig, "dash-n2")) {
      withNodes(dir, cluster, n1.adminPort(), n2.adminPort());
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
    }
  }

  private static HoldfastProcess node(Path config, String id) throws Exception {
    return HoldfastProcess.start("node", "--config", config.toString(), "--node-id", id,
        "--port", Integer.toString(FreePorts.belowEphemeralRange()), "--admin-port", "0");
  }

  private void withNodes(Path dir, String cluster, int n1Admin, int n2Admin) throws Exception {
    JsonObject twoNodes = Eventually.poll(DEADLINE, () -> adminJson(n1Admin, "/cluster"),
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
    try (HoldfastProcess sim = HoldfastProcess.start("simulate", "--config", simConfig.toString(), "--node-id", "dash-sim",
        "--duration", "180s", "--source-address", "127.0.0.2")) {
      withCluster(dir, cluster, n1Admin, n2Admin, sim);
    }
  }

  private void withCluster(Path dir, String cluster, int n1Admin, int n2Admin, HoldfastProcess sim) throws Exception {
    int simAdmin = sim.adminPort();

    prometheus = PrometheusRun.start(List.of(
        new PrometheusRun.Target("node", "dash-n1", "127.0.0.1:" + n1Admin, cluster),
        new PrometheusRun.Target("node", "dash-n2", "127.0.0.1:" + n2Admin, cluster),
        new PrometheusRun.Target("simulator", "dash-sim", "127.0.0.1:" + simAdmin, cluster)),
        dir.resolve("prometheus"), Duration.ofSeconds(1));
    JsonObject held = Eventually.poll(DEADLINE, () -> adminJson(simAdmin, "/status"),
        s -> s.getJsonObject("population", new JsonObject()).getLong("held", -1L) >= POPULATION * 0.95);
    assertThat(held.getJsonObject("population").getLong("held")).as(sim::output).isGreaterThanOrEqualTo((long) (POPULATION * 0.95));

    // the variables as Grafana would fill them from its label_values() queries
    // (each waits until every target has been scraped once)
    assertThat(labelValues("cluster", "up{job=\"holdfast\"}", List.of(cluster))).contains(cluster);
    assertThat(labelValues("node", "holdfast_connections_held{cluster=~\"" + cluster + "\"}", List.of("dash-n1", "dash-n2")))
        .containsExactlyInAnyOrder("dash-n1", "dash-n2");
    assertThat(labelValues("node", "holdfast_sim_held{cluster=~\"" + cluster + "\"}", List.of("dash-sim")))
        .containsExactly("dash-sim");

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

  /** The values of {@code label} on series matching {@code match}, once they include {@code expected} (or at the deadline). */
  private List<String> labelValues(String label, String match, List<String> expected) throws Exception {
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
    }, l -> l.containsAll(expected));
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

  /**
   * Prometheus's graph page of the overview's panels (each panel's first query, variables at All)
   * over the last two minutes, as PNGs. Only with -Dholdfast.screenshots: it first lets the run go
   * on for {@link #PICTURE_RANGE}, so that the graphs have something to show.
   */
  private void screenshots(Path dir) throws Exception {
    TestDeps.require("chromium");
    Files.createDirectories(dir);
    TimeUnit.MILLISECONDS.sleep(PICTURE_RANGE.toMillis()); // content for the pictures, not a condition of the test
    JsonObject overview = GrafanaDashboards.read(GrafanaDashboards.files().stream()
        .filter(p -> p.getFileName().toString().equals("holdfast-overview.json")).findFirst().orElseThrow());
    Map<String, String> firstQueryOfPanel = new LinkedHashMap<>();
    for (PanelQuery q : GrafanaDashboards.queries(overview)) {
      firstQueryOfPanel.putIfAbsent(q.panel(), q.expr());
    }
    List<String> exprs = new ArrayList<>(firstQueryOfPanel.values());
    Map<String, String> all = Map.of("cluster", ".*", "node", ".*", "simulator", ".*");
    int perPage = 6;
    for (int page = 0; page * perPage < exprs.size(); page++) {
      StringBuilder url = new StringBuilder(prometheus.url() + "/graph?");
      List<String> slice = exprs.subList(page * perPage, Math.min(exprs.size(), (page + 1) * perPage));
      for (int i = 0; i < slice.size(); i++) {
        String g = "g" + i + ".";
        url.append(i == 0 ? "" : "&").append(g).append("expr=")
            .append(URLEncoder.encode(GrafanaDashboards.substitute(slice.get(i), all), StandardCharsets.UTF_8))
            .append('&').append(g).append("tab=0&").append(g).append("range_input=2m");
      }
      Path png = dir.resolve(String.format("prometheus-overview-%d.png", page + 1));
      // tall enough for the whole page: a shorter window scrolls to the last graph
      Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=8000",
          "--screenshot=" + png.toAbsolutePath(), "--window-size=1400," + (slice.size() * 740 + 200), url.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium ends").isTrue();
      assertThat(png).as("screenshot " + png).exists();
      System.out.println("screenshot: " + png + " (" + slice.size() + " panels)");
    }
    Files.deleteIfExists(dir.resolve("chromium.log"));
  }
}
