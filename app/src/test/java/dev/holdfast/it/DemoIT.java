package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.TestDeps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code holdfast demo} as a newcomer runs it: one small demo (2 nodes, 1 simulator, 2,000
 * connections, 20 s) whose three reports must agree and whose children must all be gone, its HTML
 * report rendered in headless Chromium, and a population the processes cannot hold refused
 * before anything starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoIT {

  private static final Pattern BODY = Pattern.compile("<body[^>]*data-plots=\"(\\d+)\"[^>]*>");
  private static final Pattern PLOTS_OK = Pattern.compile("data-plots-ok=\"(\\d+)\"");

  private Path out;
  private int exit;
  private String output;

  @BeforeAll
  void runASmallDemo() throws Exception {
    out = Files.createTempDirectory("holdfast-demo-it");
    Path config = out.resolveSibling(out.getFileName() + "-sim.json");
    // speed is measured in bench/, never asserted here: a shared CI machine's latency does not fail the run
    Files.writeString(config, "{\"thresholds\": {\"echoP99AfterRamp\": \"1h\"}}");
    TestDeps.require("prometheus");
    try (HoldfastProcess demo = HoldfastProcess.start("demo", "--nodes", "2", "--simulators", "1", "--connections", "2000",
        "--duration", "20s", "--config", config.toString(), "--out", out.toString(), "--prometheus")) {
      exit = demo.waitFor(Duration.ofSeconds(240));
      output = demo.output();
    }
  }

  @Test
  void aSmallDemoHoldsItsPopulationReportsTheSameEverywhereAndLeavesNothingBehind() throws Exception {
    assertThat(exit).as(output).isZero();
    JsonObject json = new JsonObject(Files.readString(out.resolve("report.json")));
    String text = Files.readString(out.resolve("report.txt"));
    String html = Files.readString(out.resolve("report.html"));
    JsonObject pop = json.getJsonObject("population");
    assertThat(pop.getLong("target")).isEqualTo(2000);
    // held within the 5% tolerance after the ramp, and all of it once the run settled
    assertThat(pop.getLong("minHeldAfterRamp")).isBetween(1900L, 2100L);
    assertThat(pop.getLong("heldAtEnd")).isEqualTo(2000);
    assertThat(json.getJsonObject("verdict").getBoolean("ok")).isTrue();
    String summary = "target 2000, held at end " + pop.getLong("heldAtEnd") + " (simulators' count), after ramp min "
        + pop.getLong("minHeldAfterRamp") + " max " + pop.getLong("maxHeldAfterRamp");
    for (String form : List.of(text, html, output)) {
      assertThat(form).contains(summary).contains("verdict     OK");
    }
    JsonArray thresholds = json.getJsonArray("thresholds");
    assertThat(thresholds).hasSize(5);
    for (int i = 0; i < thresholds.size(); i++) {
      JsonObject t = thresholds.getJsonObject(i);
      assertThat(text).contains(t.getString("name")).contains(t.getString("measured"));
      assertThat(html).contains(t.getString("path"));
    }
    // every child is gone: checked by the PIDs the demo listed
    List<Long> pids = childPids();
    assertThat(pids).hasSize(3);
    assertGone(pids);
    // the simulator's own report is there too, and agrees with the demo's
    JsonObject sim = new JsonObject(Files.readString(out.resolve("sim-1.json")));
    assertThat(sim.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(pop.getLong("heldAtEnd"));
    assertThat(sim.getJsonObject("counts").getBoolean("agree")).isTrue();
  }

  @Test
  void theHtmlReportsRenderInChromiumWithDataInEveryPlot() throws Exception {
    assertThat(exit).as(output).isZero();
    TestDeps.require("chromium");
    for (String page : List.of("report.html", "sim-1.html")) {
      String dom = dumpDom(out.resolve(page));
      Matcher body = BODY.matcher(dom);
      assertThat(body.find()).as(page + ": " + dom.substring(0, Math.min(dom.length(), 2000))).isTrue();
      assertThat(body.group()).as(page).doesNotContain("data-error");
      Matcher ok = PLOTS_OK.matcher(body.group());
      assertThat(ok.find()).as(page + " drew no plots: " + body.group()).isTrue();
      int plots = Integer.parseInt(body.group(1));
      assertThat(plots).as(page).isGreaterThanOrEqualTo(page.equals("report.html") ? 7 : 5);
      assertThat(Integer.parseInt(ok.group(1))).as(page + ": plots holding all their points").isEqualTo(plots);
    }
    // the demo's plots hold one point per reading of its timeline
    int readings = new JsonObject(Files.readString(out.resolve("report.json"))).getJsonArray("timeline").size();
    assertThat(dumpDom(out.resolve("report.html"))).contains("data-points=\"" + readings + "\"");
  }

  @Test
  void aPopulationBeyondTheOpenFileLimitsIsRefusedBeforeAnyProcessStarts() throws Exception {
    Path refused = out.resolveSibling(out.getFileName() + "-refused");
    try (HoldfastProcess demo = HoldfastProcess.start("demo", "--connections", "100000", "--nodes", "2",
        "--out", refused.toString())) {
      assertThat(demo.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(demo.output()).contains("refused before starting anything").contains("needs at least 6 nodes")
          .doesNotContain("\tat ");
    }
    assertThat(refused).doesNotExist(); // no run folder, so no children.json: nothing was started
  }

  private List<Long> childPids() throws IOException {
    JsonArray children = new JsonArray(Files.readString(out.resolve("children.json")));
    List<Long> pids = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      pids.add(children.getJsonObject(i).getLong("pid"));
    }
    return pids;
  }

  @Test
  void withPrometheusItScrapesEveryChildAndStopsItAfterwards() throws Exception {
    assertThat(exit).as(output).isZero();
    Matcher m = Pattern.compile("prometheus (http://127\\.0\\.0\\.1:\\d+) scraping 3 processes every second \\(pid (\\d+)")
        .matcher(output);
    assertThat(m.find()).as(output).isTrue();
    // its targets are the demo's children, by admin port, labelled with the demo's cluster
    JsonArray targets = new JsonArray(Files.readString(out.resolve("prometheus/targets/holdfast.json")));
    JsonArray children = new JsonArray(Files.readString(out.resolve("children.json")));
    String cluster = new JsonObject(Files.readString(out.resolve("report.json"))).getJsonObject("demo").getString("cluster");
    assertThat(targets).hasSize(children.size());
    for (int i = 0; i < children.size(); i++) {
      JsonObject child = children.getJsonObject(i);
      String hostPort = URI.create(child.getString("adminUrl")).getAuthority();
      assertThat(targets.stream().map(JsonObject.class::cast)
          .filter(t -> t.getJsonArray("targets").contains(hostPort))
          .map(t -> t.getJsonObject("labels"))
          .filter(l -> l.getString("node").equals(child.getString("name")) && l.getString("cluster").equals(cluster)
              && l.getString("role").equals(child.getString("role"))))
          .as("a target for " + child).hasSize(1);
    }
    assertGone(List.of(Long.parseLong(m.group(2))));
  }

  static void assertGone(List<Long> pids) {
    for (long pid : pids) {
      boolean gone = Eventually.poll(Duration.ofSeconds(10),
          () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive) == Boolean.FALSE;
      assertThat(gone).as("child pid " + pid + " is gone").isTrue();
    }
  }

  private static String dumpDom(Path page) throws Exception {
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--no-first-run", "--virtual-time-budget=5000", "--dump-dom",
        page.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] dom = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish rendering " + page);
    }
    return new String(dom, StandardCharsets.UTF_8);
  }
}
