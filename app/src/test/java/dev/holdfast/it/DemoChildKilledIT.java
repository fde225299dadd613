package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo whose echo node is killed mid-run says which child died, exits non-zero and leaves nothing behind. */
class DemoChildKilledIT {

  @Test
  void aKilledChildEndsTheDemoWithItsNameAndNothingLeftBehind(@TempDir Path out) throws Exception {
    Path config = out.resolveSibling(out.getFileName() + "-sim.json");
    // short settle and close: the end after a death is not what is measured here
    Files.writeString(config, "{\"settleTimeout\": \"2s\", \"closeTimeout\": \"2s\"}");
    try (HoldfastProcess demo = HoldfastProcess.start("demo", "--nodes", "2", "--simulators", "1", "--connections",
        "1000", "--duration", "60s", "--config", config.toString(), "--out", out.toString())) {
      demo.awaitLine("] hold held", Duration.ofSeconds(150)); // the fleet is up and holding
      JsonArray children = new JsonArray(Files.readString(out.resolve("children.json")));
      List<Long> pids = new ArrayList<>();
      long victim = -1;
      for (int i = 0; i < children.size(); i++) {
        JsonObject c = children.getJsonObject(i);
        pids.add(c.getLong("pid"));
        if (c.getString("name").equals("node-2")) {
          victim = c.getLong("pid");
        }
      }
      assertThat(pids).hasSize(3);
      assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue(); // kill -9, by its PID
      int exit = demo.waitFor(Duration.ofSeconds(120));
      assertThat(exit).as(demo.output()).isNotZero();
      assertThat(demo.output()).contains("node-2 (pid " + victim + ") died with exit code 137");
      assertThat(Files.readString(out.resolve("report.txt"))).contains("DIED        node-2 (pid " + victim)
          .contains("verdict     FAILED: node-2 died (exit 137)");
      DemoIT.assertGone(pids);
    }
  }
}
