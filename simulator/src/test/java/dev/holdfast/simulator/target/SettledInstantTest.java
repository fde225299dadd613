package dev.holdfast.simulator.target;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cluster.ClusterSummary;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet's settled instant: the final servers' count compares like with like, or says it cannot. */
class SettledInstantTest {

  private static final long DEADLINE_MS = 100_000;

  private static NodeSnapshot sim(String id, long held, String phase, long holdEndsAtMs) {
    return new NodeSnapshot(id, "m-" + id, NodeSnapshot.ROLE_SIMULATOR, "", held, held, 0, 0, held, 0, phase, holdEndsAtMs);
  }

  /** The echo nodes' totals, the oldest of their snapshots published at {@code oldestMs}. */
  private static ClusterSummary.Totals nodes(long held, long oldestMs) {
    return new ClusterSummary.Totals(2, held, held, 0, 0, held, oldestMs, oldestMs);
  }

  private final ClusterServerCount.SettledInstant instant = new ClusterServerCount.SettledInstant("sim-1", DEADLINE_MS);

  @Test
  void waitsForAMemberStillHoldingThenForNodeCountsPublishedAfterTheFleetSettled() {
    // sim-2 ends its hold 3 s later: its snapshot still counts what it held mid-churn
    var step = instant.step(500, List.of(sim("sim-1", 500, "settled", 10_000), sim("sim-2", 480, "hold", 13_000)),
        List.of(), nodes(990, 10_500), 10_600);
    assertThat(step.result()).isNull();
    assertThat(step.waitingFor()).contains("sim-2 to settle");

    // sim-2 settled; the nodes' totals are still from before this was seen
    List<NodeSnapshot> settled = List.of(sim("sim-1", 500, "settled", 10_000), sim("sim-2", 500, "settled", 13_000));
    step = instant.step(500, settled, List.of(), nodes(985, 13_900), 14_000);
    assertThat(step.result()).as("nodes' counts from before the settled state was seen").isNull();
    assertThat(step.waitingFor()).contains("published after the fleet settled");

    step = instant.step(500, settled, List.of(), nodes(1000, 14_100), 14_200);
    assertThat(step.result()).isNotNull();
    assertThat(step.result().count()).as("nodes' 1000 less sim-2's settled 500").isEqualTo(500);
    assertThat(step.result().notComparable()).isNull();
    assertThat(step.result().fleet()).isEqualTo(new ServerCount.Fleet(1000, 2, 500, 1));
  }

  @Test
  void aConnectionNoSimulatorHoldsShowsAsAMismatch() {
    List<NodeSnapshot> settled = List.of(sim("sim-2", 500, "counted", 13_000));
    assertThat(instant.step(500, settled, List.of(), nodes(1001, 13_000), 14_000).result()).isNull();
    ServerCount.Final f = instant.step(500, settled, List.of(), nodes(1001, 14_500), 14_600).result();
    assertThat(f.count()).as("an outside client's connection on a node").isEqualTo(501);
    assertThat(f.fleet().nodesHeld()).isEqualTo(1001);
  }

  @Test
  void aChangeInTheSettledStateStartsTheWaitForFreshNodeCountsAgain() {
    List<NodeSnapshot> first = List.of(sim("sim-2", 500, "settled", 13_000));
    assertThat(instant.step(500, first, List.of(), nodes(1000, 13_000), 14_000).result()).isNull();
    // sim-2's count moved (a server closed one of its connections): counts published before this are stale
    List<NodeSnapshot> moved = List.of(sim("sim-2", 499, "settled", 13_000));
    assertThat(instant.step(500, moved, List.of(), nodes(1000, 14_500), 15_000).result()).isNull();
    assertThat(instant.step(500, moved, List.of(), nodes(999, 15_100), 15_200).result().count()).isEqualTo(500);
  }

  @Test
  void aMemberHoldingPastTheDeadlineMakesItNotComparableAtOnceNeverAnAgreement() {
    var step = instant.step(500, List.of(sim("sim-2", 500, "hold", DEADLINE_MS + 60_000)), List.of(), nodes(1000, 14_100),
        14_200);
    assertThat(step.result()).isNotNull();
    assertThat(step.result().count()).isEqualTo(-1);
    assertThat(step.result().notComparable()).contains("sim-2 holds until").contains("after this simulator's settle deadline");
    assertThat(step.result().compared()).startsWith("not comparable: ");
  }

  @Test
  void aClosingMemberOrAMissingOneIsWaitedFor() {
    var closing = instant.step(500, List.of(sim("sim-2", 300, "close", 9_000)), List.of(), nodes(800, 14_100), 14_200);
    assertThat(closing.result()).isNull();
    assertThat(closing.waitingFor()).contains("sim-2 to finish closing");
    ClusterView.Missing gone = new ClusterView.Missing(
        new NodeSnapshot("node-2", "m-n2", NodeSnapshot.ROLE_NODE, "ws://x", 500, 500, 0, 0, 500, 0), 14_000);
    var partial = instant.step(500, List.of(), List.of(gone), nodes(500, 14_100), 14_200);
    assertThat(partial.result()).isNull();
    assertThat(partial.waitingFor()).contains("missing: node-2");
  }

  @Test
  void nobodyClosesWhileAnotherIsAboutToCount() {
    List<NodeSnapshot> fleet = List.of(sim("sim-1", 500, "counted", 10_000), sim("sim-2", 500, "settled", 12_000),
        sim("sim-3", 500, "hold", 20_000), sim("sim-4", 500, "hold", DEADLINE_MS + 1), sim("sim-5", 0, "done", 9_000),
        sim("sim-6", 500, "counted", 11_000));
    assertThat(ClusterServerCount.SettledInstant.othersStillCounting("sim-1", fleet, DEADLINE_MS))
        .containsExactly("sim-2", "sim-3");
  }
}
