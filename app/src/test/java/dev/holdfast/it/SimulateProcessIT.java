package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.FreePorts;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast simulate} as an operator runs it: config errors, and a bounded run against a node process. */
class SimulateProcessIT {

  @Test
  void configErrorsNameTheFieldAndExitWith2(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("sim.json");
    Files.writeString(config, "{\"churn\": {\"fractoin\": 0.1}}");
    try (HoldfastProcess p = HoldfastProcess.start("simulate", "--config", config.toString(), "--standalone")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.output()).contains("config error at $.churn.fractoin: unknown field").doesNotContain("\tat ");
    }
    try (HoldfastProcess p = HoldfastProcess.start("simulate", "--target", "cluster", "--standalone")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.output()).contains("config error at $.targets");
    }
  }

  @Test
  void aBoundedRunHoldsChecksAndCountsThreeWays(@TempDir Path dir) throws Exception {
    int port = FreePorts.belowEphemeralRange();
    try (HoldfastProcess node = HoldfastProcess.start("node", "--standalone", "--port", Integer.toString(port),
        "--admin-port", "0")) {
      int admin = node.adminPort();
      Path report = dir.resolve("report.json");
      try (HoldfastProcess sim = HoldfastProcess.start("simulate", "--standalone", "--target",
          "ws://127.0.0.1:" + port + "/ws", "--population", "500", "--duration", "10s", "--admin-port", "0",
          "--source-address", "127.0.0.2", "--node-status-url", "http://127.0.0.1:" + admin + "/status",
          "--progress-interval", "2s", "--report-json", report.toString())) {
        assertThat(sim.waitFor(Duration.ofSeconds(90))).as(sim.output()).isZero();
        assertThat(sim.output()).contains("verdict     OK");
        // the last progress line shows the population held within the 5% tolerance (churn keeps a
        // few waiting to reopen at any instant, so not exactly 500)
        Matcher progress = Pattern.compile("\\] held (\\d+)/500 os").matcher(sim.output());
        long lastHeld = -1;
        while (progress.find()) {
          lastHeld = Long.parseLong(progress.group(1));
        }
        assertThat(lastHeld).as(sim.output()).isBetween(475L, 500L);
      }
      JsonObject r = new JsonObject(Files.readString(report));
      assertThat(r.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(500);
      assertThat(r.getJsonObject("counts").getLong("simulator")).isEqualTo(500);
      assertThat(r.getJsonObject("counts").getLong("os")).isEqualTo(500);
      assertThat(r.getJsonObject("counts").getLong("cluster")).isEqualTo(500);
      assertThat(r.getJsonObject("messages").getLong("sent")).isPositive()
          .isEqualTo(r.getJsonObject("messages").getLong("echoed"));
      assertThat(r.getJsonObject("messages").getLong("lost")).isZero();
    }
  }
}
