package dev.holdfast.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's arithmetic on inputs worked out by hand, and the recorded costs against the results they cite. */
class FleetPlannerTest {

  @TempDir
  Path dir;

  private static Costs handCosts() {
    return Costs.of("hand-made", List.of(
        new Cost(Costs.NODE_BYTES, 4_000, "bytes", "t"), new Cost(Costs.NODE_BASE_BYTES, 0.0001, "bytes", "t"),
        new Cost(Costs.SIMULATOR_BYTES, 2_000, "bytes", "t"), new Cost(Costs.SIMULATOR_BASE_BYTES, 0.0001, "bytes", "t"),
        new Cost(Costs.KERNEL_BYTES, 4_000, "bytes", "t"),
        new Cost(Costs.NODE_CPU_HANDSHAKE, 100, "microseconds", "t"), new Cost(Costs.NODE_CPU_ECHO, 100, "microseconds", "t"),
        new Cost(Costs.SIMULATOR_CPU_HANDSHAKE, 100, "microseconds", "t"),
        new Cost(Costs.SIMULATOR_CPU_MESSAGE, 100, "microseconds", "t"), new Cost(Costs.CLUSTER_MEMBERS_MAX, 300, "members", "t")));
  }

  @Test
  void sizesEachRoleByItsSmallestResource() {
    // 2,000,000 connections, 36% churn per hour (0.0001 handshakes/s each), a message every 10 s (0.1/s each)
    Target target = new Target(2_000_000, 0.36, Duration.ofHours(1), Duration.ofSeconds(10));
    NodeShape shape = new NodeShape("test", 8, 80_000_000L, 21_000);
    Plan p = new FleetPlanner(handCosts()).plan(target, shape, shape, 0.5, 1_000, 1_000, 1, 1_000);

    // node: memory 80e6 x 0.5 / (4,000 + 4,000) = 4,999 (the base's 0.0001 B); CPU 8 x 0.5 x 1e6 / 10.01 = 399,600;
    // open files (21,000 - 1,000) x 0.5 = 10,000. Memory binds: 2,000,000 / 4,999 = 400.08 -> 401 nodes.
    assertThat(p.nodes().capacity()).containsEntry(Resource.MEMORY, 4_999L).containsEntry(Resource.CPU, 399_600L)
        .containsEntry(Resource.OPEN_FILES, 10_000L);
    assertThat(p.nodes().binding()).isEqualTo(Resource.MEMORY);
    assertThat(p.nodes().machines()).isEqualTo(401);
    // simulator: memory 40e6 / 6,000 = 6,666; ports 1 x 1,000 x 0.5 = 500 bind: 4,000 simulators
    assertThat(p.simulators().capacity()).containsEntry(Resource.MEMORY, 6_666L).containsEntry(Resource.EPHEMERAL_PORTS, 500L);
    assertThat(p.simulators().binding()).isEqualTo(Resource.EPHEMERAL_PORTS);
    assertThat(p.simulators().machines()).isEqualTo(4_000);
    // cells of at most 300: 401 nodes -> 2; with the 4,000 simulators as members too, 4,401 -> 15
    assertThat(p.nodeCells()).isEqualTo(2);
    assertThat(p.cellsWithSimulators()).isEqualTo(15);
    assertThat(p.handshakesPerSecond()).isEqualTo(200.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(p.messagesPerSecond()).isEqualTo(200_000.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void cpuBindsWhenMessagesAreFrequent() {
    Target target = new Target(1_000_000, 0, Duration.ofHours(1), Duration.ofMillis(100)); // 10 messages/s each
    NodeShape shape = new NodeShape("test", 2, 1L << 40, 10_000_000);
    Plan p = new FleetPlanner(handCosts()).plan(target, shape, shape, 0, 0, 0, 100, 60_000);
    // 10 x 100 µs = 1,000 µs/s per connection: 2 cores hold 2,000
    assertThat(p.nodes().capacity()).containsEntry(Resource.CPU, 2_000L);
    assertThat(p.nodes().binding()).isEqualTo(Resource.CPU);
    assertThat(p.nodes().machines()).isEqualTo(500);
  }

  @Test
  void cellsForFourHundredMillionAreAsLargeAsTheSummaryDesignWasMeasuredAndSaySo() {
    Plan p = new FleetPlanner(Costs.measuredHere()).plan(Target.DEFAULT, NodeShape.preset("16x64"),
        NodeShape.preset("16x64"), 0.3, 1_000, 500, 16, FleetPlanner.DEFAULT_EPHEMERAL_PORTS);
    assertThat(p.membersPerCell()).as("the summary design's largest measured N").isEqualTo(1_000);
    assertThat(p.nodeCells()).isEqualTo((p.nodes().machines() + 999) / 1_000);
    assertThat(p.assumptions()).anyMatch(a -> a.contains("at most 1,000 Hazelcast members")
        && a.contains("from bench/results/cluster-view-2026-12-01-1024.json"));
    assertThat(p.costs().get(Costs.CLUSTER_MEMBERS_MAX).source()).contains("cluster-view-2026-12-01-1024.json summary");
    assertThat(PlanReport.text(p)).contains("at most 1,000 members");
  }

  @Test
  void aShapeTooSmallForTheBaseIsRefused() {
    NodeShape tiny = new NodeShape("tiny", 2, 100, 10_000);
    Costs c = Costs.measuredHere();
    assertThatThrownBy(() -> new FleetPlanner(c).plan(Target.DEFAULT, tiny, tiny, 0.3, 1_000, 500, 1, 28_232))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory");
  }

  @Test
  void theRecordedCostsAreTheOnesTheCitedResultsHold() throws Exception {
    Costs here = Costs.measuredHere();
    assertThat(here.all()).extracting(Cost::key).containsExactlyElementsOf(Costs.KEYS);
    Path results = Path.of("..", "bench", "results");
    Costs lean = Costs.fromReport(results.resolve("lean-node-2026-11-26-1555.json"));
    for (String k : List.of(Costs.NODE_BYTES, Costs.NODE_BASE_BYTES, Costs.NODE_CPU_HANDSHAKE, Costs.NODE_CPU_ECHO)) {
      assertThat(here.value(k)).as(k).isCloseTo(lean.value(k), org.assertj.core.data.Offset.offset(0.1));
      assertThat(here.get(k).source()).contains("lean-node-2026-11-26-1555.json");
    }
    Costs sim = Costs.fromReport(results.resolve("simulator-capacity-2026-11-26-1337.json"));
    for (String k : List.of(Costs.SIMULATOR_BYTES, Costs.SIMULATOR_BASE_BYTES)) {
      assertThat(here.value(k)).as(k).isCloseTo(sim.value(k), org.assertj.core.data.Offset.offset(0.1));
    }
    String kernel = Files.readString(Path.of("..", "ops", "measure", "kernel-socket-memory-2026-12-01.txt"));
    assertThat(kernel).contains("slab bytes " + here.value(Costs.KERNEL_BYTES));
    JsonObject view = new JsonObject(Files.readString(results.resolve(here.get(Costs.CLUSTER_MEMBERS_MAX).source()
        .replaceAll("^bench/results/(\\S+).*$", "$1"))));
    assertThat(view.getString("benchmark")).isEqualTo("cluster-view");
    // the largest N at which the design ClusterView runs (the summary) kept every view exact, no smaller N failing
    long exact = view.getJsonArray("points").stream().map(JsonObject.class::cast)
        .filter(pt -> pt.getString("design").equals("summary"))
        .sorted(java.util.Comparator.comparingInt(pt -> pt.getInteger("publishers")))
        .takeWhile(pt -> pt.getDouble("viewsCorrectFraction") == 1.0)
        .mapToLong(pt -> pt.getInteger("publishers")).max().orElse(0);
    assertThat(here.value(Costs.CLUSTER_MEMBERS_MAX)).isEqualTo((double) exact);
  }

  @Test
  void aReportWithoutCostsIsRefusedByName() throws Exception {
    Path run = dir.resolve("report.json");
    Files.writeString(run, new JsonObject().put("run", new JsonObject()).put("population", new JsonObject()).encode());
    assertThatThrownBy(() -> Costs.fromReport(run)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--report").hasMessageContaining("holds no measured cost");
  }

  @Test
  void aCostsFileReplacesWhatItNamesAndKeepsTheRest() throws Exception {
    Path file = dir.resolve("costs.json");
    Map<String, Object> cost = new HashMap<>(Map.of("key", Costs.NODE_BYTES, "value", 9_000, "unit", "bytes", "source", "big run"));
    Files.writeString(file, new JsonObject().put("costs", List.of(cost)).encode());
    Costs c = Costs.fromReport(file);
    assertThat(c.value(Costs.NODE_BYTES)).isEqualTo(9_000);
    assertThat(c.get(Costs.NODE_BYTES).source()).isEqualTo("big run");
    assertThat(c.value(Costs.KERNEL_BYTES)).isEqualTo(Costs.measuredHere().value(Costs.KERNEL_BYTES));
    cost.put("key", "node.bogus");
    Files.writeString(file, new JsonObject().put("costs", List.of(cost)).encode());
    assertThatThrownBy(() -> Costs.fromReport(file)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("$.costs[0].key").hasMessageContaining("node.bogus");
  }
}
