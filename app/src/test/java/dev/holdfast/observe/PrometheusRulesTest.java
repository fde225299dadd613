package dev.holdfast.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.TestDeps;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape config and rules pass Prometheus's own checker, and the alerting rules' unit tests
 * ({@code dashboards/prometheus/tests/}: each alert fires on synthetic unhealthy series and stays
 * quiet on healthy ones) pass {@code promtool test rules}.
 */
class PrometheusRulesTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path DIR = TestDeps.repoRoot().resolve("dashboards/prometheus");

  @BeforeAll
  static void prometheusInstalled() {
    TestDeps.require("prometheus");
  }

  @Test
  void theConfigAsPrometheusRunWritesItPassesPromtool(@TempDir Path work) throws Exception {
    PrometheusRun.writeConfig(work, Duration.ofSeconds(1));
    PrometheusRun.writeTargets(work, List.of(new PrometheusRun.Target("node", "n1", "127.0.0.1:9090", "c1")));
    String out = promtool("check", "config", work.resolve("prometheus.yml").toString());
    assertThat(out).contains("SUCCESS").doesNotContain("WARNING");
    assertThat(Files.readString(work.resolve("prometheus.yml"))).contains("  scrape_interval: 1000ms")
        .contains("  evaluation_interval: 1000ms");
  }

  @Test
  void theRulesPassPromtool() throws Exception {
    String out = promtool("check", "rules", DIR.resolve("rules/holdfast-recording.yml").toString(),
        DIR.resolve("rules/holdfast-alerts.yml").toString());
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void rulesTakeRatesOfCountersOnly() throws Exception {
    for (String file : List.of("rules/holdfast-recording.yml", "rules/holdfast-alerts.yml")) {
      for (String line : Files.readAllLines(DIR.resolve(file))) {
        GrafanaDashboards.assertRatesOfCountersOnly(file, line);
      }
    }
  }

  @Test
  void everyAlertHasAUnitTestAndTheyPass() throws Exception {
    List<String> files;
    try (Stream<Path> s = Files.list(DIR.resolve("tests"))) {
      files = s.filter(p -> p.toString().endsWith(".yml")).map(Path::toString).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(files);
    String out = promtool(args.toArray(String[]::new));
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
    String alerts = Files.readString(DIR.resolve("rules/holdfast-alerts.yml"));
    StringBuilder tests = new StringBuilder();
    for (String f : files) {
      tests.append(Files.readString(Path.of(f)));
    }
    for (String line : alerts.lines().toList()) {
      if (line.trim().startsWith("- alert: ")) {
        String name = line.trim().substring("- alert: ".length());
        assertThat(tests.toString()).as("a unit test of " + name).contains("alertname: " + name);
        assertThat(TestDeps.repoRoot().resolve("README.md")).as("a runbook entry for " + name)
            .content().contains("#### " + name);
      }
    }
  }

  @Test
  void theTargetFileIsFileSdJsonWithRoleNodeAndCluster() {
    JsonArray groups = new JsonArray(PrometheusRun.targetsJson(List.of(
        new PrometheusRun.Target("node", "n1", "127.0.0.1:9090", "c1"),
        new PrometheusRun.Target("simulator", "s1", "127.0.0.1:9190", "c1"))));
    assertThat(groups).hasSize(2);
    assertThat(groups.getJsonObject(1).getJsonArray("targets").getString(0)).isEqualTo("127.0.0.1:9190");
    assertThat(groups.getJsonObject(1).getJsonObject("labels").getMap())
        .containsEntry("role", "simulator").containsEntry("node", "s1").containsEntry("cluster", "c1").hasSize(3);
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
    assertThat(p.exitValue()).as(() -> String.join(" ", cmd) + ":\n" + out).isZero();
    return out;
  }
}
