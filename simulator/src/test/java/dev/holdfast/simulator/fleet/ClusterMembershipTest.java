package dev.holdfast.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cluster.NodeSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterMembershipTest {

  private static final Duration SETTLE = Duration.ofSeconds(3);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final List<NodeSnapshot> view = new ArrayList<>();
  private final ClusterMembership membership =
      new ClusterMembership(() -> List.copyOf(view), "sim-b", SETTLE, clock::get);

  private static NodeSnapshot simulator(String id) {
    return new NodeSnapshot(id, "member-" + id, NodeSnapshot.ROLE_SIMULATOR, "", 0, 0, 0, 0, -1, 0);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void aNewcomerIsNoMemberUntilTheOthersMustHaveSeenIt() {
    view.add(simulator("sim-a"));
    assertThat(membership.members()).containsExactly("sim-a"); // its own snapshot is not in the view yet
    advance(SETTLE.multipliedBy(2));
    assertThat(membership.members()).as("time alone does not make it a member").containsExactly("sim-a");

    view.add(simulator("sim-b")); // its snapshot landed: from now on the others can see it
    assertThat(membership.members()).containsExactly("sim-a");
    assertThat(PopulationShare.of(400, membership.members(), "sim-b")).isZero();
    advance(SETTLE.minusMillis(1));
    assertThat(membership.members()).containsExactly("sim-a");
    advance(Duration.ofMillis(1));
    assertThat(membership.members()).containsExactly("sim-a", "sim-b");
    assertThat(PopulationShare.of(400, membership.members(), "sim-b")).isEqualTo(200);
  }

  @Test
  void aMemberStaysOneWhenARefreshMissesItsSnapshot() {
    view.add(simulator("sim-b"));
    membership.members();
    advance(SETTLE);
    assertThat(membership.members()).containsExactly("sim-b");
    view.clear();
    assertThat(membership.members()).containsExactly("sim-b");
  }

  @Test
  void othersComeAndGoWithTheView() {
    view.add(simulator("sim-b"));
    membership.members();
    advance(SETTLE);
    view.add(simulator("sim-c"));
    view.add(simulator("sim-a"));
    assertThat(membership.members()).containsExactly("sim-a", "sim-b", "sim-c");
    view.removeIf(s -> s.nodeId().equals("sim-a"));
    assertThat(membership.members()).containsExactly("sim-b", "sim-c");
  }
}
