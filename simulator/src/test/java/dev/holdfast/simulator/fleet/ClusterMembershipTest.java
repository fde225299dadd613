package dev.holdfast.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cluster.NodeSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterMembershipTest {

  private static final Duration SETTLE = Duration.ofSeconds(3);
  private static final long POPULATION = 400;

  private final AtomicLong clock = new AtomicLong(1_000);
  private final List<NodeSnapshot> view = new ArrayList<>();
  private final Set<String> inCluster = new HashSet<>();
  private final ClusterMembership membership =
      new ClusterMembership(() -> List.copyOf(view), inCluster::contains, "sim-b", POPULATION, SETTLE, clock::get);

  /** Puts (or replaces) a simulator's snapshot in the view; its process is in the cluster. */
  private void publish(String id, long held) {
    view.removeIf(s -> s.nodeId().equals(id));
    view.add(new NodeSnapshot(id, "member-" + id, NodeSnapshot.ROLE_SIMULATOR, "", held, held, 0, 0, -1, 0));
    inCluster.add("member-" + id);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private long myShare() {
    return PopulationShare.of(POPULATION, membership.members(), "sim-b");
  }

  @Test
  void aNewcomerTakesNoShareUntilTheOthersHaveSeenItAndShed() {
    publish("sim-a", 400);
    assertThat(membership.members()).containsExactly("sim-a"); // its own snapshot is not in the view yet
    advance(SETTLE.multipliedBy(2));
    assertThat(membership.members()).as("time alone does not make it a member").containsExactly("sim-a");

    publish("sim-b", 0); // its snapshot landed: from now on the others can see it
    assertThat(myShare()).isZero();
    advance(SETTLE.minusMillis(1));
    assertThat(myShare()).isZero();
    advance(Duration.ofMillis(1));
    assertThat(myShare()).as("sim-a still holds 400, more than its share of a fleet of two").isZero();
    publish("sim-a", 200); // sim-a has seen sim-b and shed
    assertThat(membership.members()).containsExactly("sim-a", "sim-b");
    assertThat(myShare()).isEqualTo(200);
  }

  @Test
  void aMemberThatNeverShedsHoldsTheNewcomerBackOnlySoLong() {
    publish("sim-a", 400);
    publish("sim-b", 0);
    membership.members();
    advance(SETTLE.multipliedBy(5).minusMillis(1));
    assertThat(myShare()).isZero();
    advance(Duration.ofMillis(1));
    assertThat(myShare()).isEqualTo(200);
  }

  @Test
  void aMissingSnapshotOfAProcessStillInTheClusterChangesNothing() {
    publish("sim-a", 200);
    publish("sim-b", 0);
    membership.members();
    advance(SETTLE);
    assertThat(myShare()).isEqualTo(200);
    view.clear(); // both snapshots outlived their time-to-live: the processes are slow, not gone
    assertThat(membership.members()).containsExactly("sim-a", "sim-b");
    assertThat(myShare()).isEqualTo(200);
  }

  @Test
  void aMemberThatLeavesTheClusterLeavesTheFleet() {
    publish("sim-a", 133);
    publish("sim-b", 0);
    publish("sim-c", 133);
    membership.members();
    advance(SETTLE);
    assertThat(membership.members()).containsExactly("sim-a", "sim-b", "sim-c");
    view.removeIf(s -> s.nodeId().equals("sim-a"));
    inCluster.remove("member-sim-a"); // Hazelcast's member-left
    assertThat(membership.members()).containsExactly("sim-b", "sim-c");
    assertThat(myShare()).isEqualTo(200);
  }
}
