package dev.holdfast.simulator.fleet;

import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The simulator fleet as the cluster knows it.
 *
 * <p><b>Who is a member.</b> A simulator is a member from its first snapshot in the view until
 * Hazelcast says it has left (or found it dead). A snapshot that goes missing while its process is
 * still in the cluster (a starved process missing its time-to-live) does not take it out: if it
 * did, the others would take over its share while it still holds it, and give it back a moment
 * later, churning the population for nothing.
 *
 * <p><b>Joining.</b> A newcomer counts itself a member only once the others have made room: its
 * own snapshot has been in the view for {@code settle} (two publish intervals plus the simulator's
 * membership poll: long enough for every other member to have seen it) and every other member's
 * latest snapshot holds no more than its share of the fleet with the newcomer in it. Until then
 * its share is 0. The members already there shed first, the newcomer opens after, so a join dips
 * the population for a moment instead of overshooting it (with no leader, one or the other has to
 * happen; a dip never pushes a server past its admission cap or a simulator past its open-file
 * limit). A member that never sheds (a different population in its config, say) holds the
 * newcomer back for at most {@code 5 × settle}.
 */
public final class ClusterMembership implements Membership {

  private final Supplier<List<NodeSnapshot>> simulators;
  private final Predicate<String> inCluster;
  private final String selfId;
  private final long population;
  private final long settleNanos;
  private final LongSupplier nanoClock;
  /** The latest snapshot of every simulator seen and still in the cluster, by node id. */
  private final Map<String, NodeSnapshot> known = new HashMap<>();
  private long selfSeenAt;
  private boolean selfSeen;
  private boolean joined;

  /**
   * @param population the fleet-wide population the shares split
   * @param memberPoll how often the simulator reads {@link #members()}: another member acts on
   *     this node's snapshot at most one publish interval plus one poll after it lands
   */
  public ClusterMembership(ClusterView view, String selfId, long population, Duration memberPoll) {
    this(() -> view.snapshots(NodeSnapshot.ROLE_SIMULATOR), view::isMember, selfId, population,
        view.interval().multipliedBy(2).plus(memberPoll), System::nanoTime);
  }

  ClusterMembership(Supplier<List<NodeSnapshot>> simulators, Predicate<String> inCluster, String selfId, long population,
      Duration settle, LongSupplier nanoClock) {
    this.simulators = simulators;
    this.inCluster = inCluster;
    this.selfId = selfId;
    this.population = population;
    this.settleNanos = settle.toNanos();
    this.nanoClock = nanoClock;
  }

  @Override
  public String selfId() {
    return selfId;
  }

  @Override
  public synchronized List<String> members() {
    for (NodeSnapshot s : simulators.get()) {
      known.put(s.nodeId(), s);
    }
    known.values().removeIf(s -> !s.nodeId().equals(selfId) && !inCluster.test(s.memberId()));
    long now = nanoClock.getAsLong();
    if (!selfSeen && known.containsKey(selfId)) {
      selfSeen = true;
      selfSeenAt = now;
    }
    TreeSet<String> fleet = new TreeSet<>(known.keySet());
    fleet.add(selfId);
    if (!joined && selfSeen && now - selfSeenAt >= settleNanos) {
      joined = othersHoldNoMoreThanTheirShare(List.copyOf(fleet)) || now - selfSeenAt >= 5 * settleNanos;
    }
    if (!joined) {
      fleet.remove(selfId);
    }
    return List.copyOf(fleet);
  }

  private boolean othersHoldNoMoreThanTheirShare(List<String> fleet) {
    for (NodeSnapshot s : known.values()) {
      if (!s.nodeId().equals(selfId) && s.held() > PopulationShare.of(population, fleet, s.nodeId())) {
        return false;
      }
    }
    return true;
  }
}
