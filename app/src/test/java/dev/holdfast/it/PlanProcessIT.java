package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast plan} from the fat jar: text and JSON agree, the costs recorded in the jar are
 * named as this machine's, a report replaces what it measured, and a mistake exits 2 without a
 * stack trace.
 */
class PlanProcessIT {

  @TempDir
  Path dir;

  private record Run(int exit, String output) {
  }

  private static Run plan(String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("holdfast.jar", "target/holdfast.jar");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-jar", jar, "plan"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("plan ended").isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void theDefaultPlanUsesThisMachinesRecordedCostsAndItsJsonAgrees() throws Exception {
    Run text = plan();
    assertThat(text.exit()).as(text.output()).isZero();
    assertThat(text.output()).contains("400,000,000 connections, 20% churn per hour, an echo every 20 s, 30% headroom")
        .contains("measured on this project's development machine")
        .contains("bench/results/lean-node-2026-11-26-1555.json")
        .contains("ASSUMED")
        .containsPattern("echo nodes: +[\\d,]+ machines of 16 vCPU / 64 GiB");
    Run json = plan("--json");
    assertThat(json.exit()).as(json.output()).isZero();
    JsonObject j = new JsonObject(json.output());
    long machines = j.getJsonObject("nodes").getLong("machines");
    long each = j.getJsonObject("nodes").getLong("connectionsPerMachine");
    assertThat(machines * each).isGreaterThanOrEqualTo(400_000_000L);
    assertThat((machines - 1) * each).isLessThan(400_000_000L);
    assertThat(text.output()).contains(String.format("%,d machines", machines));
  }

  @Test
  void aLargerShapeNeedsFewerNodes() throws Exception {
    long medium = new JsonObject(plan("--json").output()).getJsonObject("nodes").getLong("machines");
    long large = new JsonObject(plan("--json", "--shape", "64x256").output()).getJsonObject("nodes").getLong("machines");
    assertThat(large).isLessThan(medium);
  }

  @Test
  void aReportReplacesTheCostsItMeasured() throws Exception {
    Path costs = dir.resolve("costs.json");
    Files.writeString(costs, """
        {"costs": [{"key": "node.bytesPerConnection", "value": 100000, "unit": "bytes", "source": "a fat node"}]}""");
    Run run = plan("--report", costs.toString(), "--json");
    assertThat(run.exit()).as(run.output()).isZero();
    JsonObject nodes = new JsonObject(run.output()).getJsonObject("nodes");
    assertThat(nodes.getString("binding")).isEqualTo("memory");
    assertThat(run.output()).contains("a fat node");
  }

  @Test
  void mistakesExitWithTwoAndNoStackTrace() throws Exception {
    Run shape = plan("--shape", "8x8");
    assertThat(shape.exit()).isEqualTo(2);
    assertThat(shape.output()).contains("--shape: \"8x8\" is not allowed; use one of [16x64, 64x256]");
    Path run = dir.resolve("report.json");
    Files.writeString(run, "{\"run\": {}, \"population\": {}}");
    Run report = plan("--report", run.toString());
    assertThat(report.exit()).isEqualTo(2);
    assertThat(report.output()).contains("holds no measured cost").doesNotContain("\tat ");
    assertThat(plan("--headroom", "1.5").exit()).isEqualTo(2);
  }
}
