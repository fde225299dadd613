package dev.holdfast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The summary sums what {@link ClusterView} would show: live echo nodes of current members only. */
class ClusterSummaryTest {

  private static String snapshot(String nodeId, String member, String role, long held, long publishedAt) {
    return new NodeSnapshot(nodeId, member, role, "ws://x/ws", held, held + 5, 5, 1, held, publishedAt).toJson().encode();
  }

  @Test
  void sumsLiveEchoNodesOfCurrentMembersOnly() {
    Map<String, String> entries = Map.of(
        "a", snapshot("a", "m1", NodeSnapshot.ROLE_NODE, 100, 9_000),
        "b", snapshot("b", "m2", NodeSnapshot.ROLE_NODE, 250, 9_500),
        "gone", snapshot("gone", "m3", NodeSnapshot.ROLE_NODE, 1_000, 1_000), // its member has left
        "sim", snapshot("sim", "m1", NodeSnapshot.ROLE_SIMULATOR, 350, 8_000)); // a simulator holds no node's sockets
    ClusterSummary.Totals t = ClusterSummary.sum(entries, Set.of("m1", "m2"), 10_000);
    assertThat(t.nodes()).isEqualTo(2);
    assertThat(t.held()).isEqualTo(350);
    assertThat(t.opened()).isEqualTo(360);
    assertThat(t.closed()).isEqualTo(10);
    assertThat(t.rejected()).isEqualTo(2);
    assertThat(t.osEstablished()).isEqualTo(350);
    assertThat(t.oldestPublishedAtMs()).as("the staleness: the oldest snapshot summed").isEqualTo(9_000);
    assertThat(t.summarizedAtMs()).isEqualTo(10_000);
    assertThat(t.simulators()).isEqualTo(1);
    assertThat(t.simulatorsHeld()).isEqualTo(350);
  }

  @Test
  void aNodeThatLeftIsNotSummedAndItsTombstoneIsNoSnapshot() {
    Map<String, String> entries = Map.of(
        "a", snapshot("a", "m1", NodeSnapshot.ROLE_NODE, 100, 9_000),
        "b", snapshot("b", "m2", NodeSnapshot.ROLE_NODE, 250, 9_500),
        ClusterView.LEFT_PREFIX + "b", "left");
    ClusterSummary.Totals t = ClusterSummary.sum(entries, Set.of("m1", "m2"), 10_000);
    assertThat(t.nodes()).isEqualTo(1);
    assertThat(t.held()).isEqualTo(100);
  }

  @Test
  void aSummaryRoundTripsThroughItsJson() {
    ClusterSummary.Totals t = new ClusterSummary.Totals(3, 30, 40, 10, 2, 29, 1_000, 2_000, 2, 30, 42L,
        List.of(new ClusterView.Missing(new NodeSnapshot("x", "m9", NodeSnapshot.ROLE_NODE, "ws://x", 4, 4, 0, 0, 4, 900), 950)));
    assertThat(ClusterSummary.Totals.fromJson(t.toJson())).isEqualTo(t);
  }
}
