package dev.holdfast.simulator.fleet;

import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The simulator fleet as the cluster view knows it: every simulator node with a live snapshot.
 *
 * <p>A joining node counts itself a member only once the others must have seen it: its own
 * snapshot has been in the view for {@code settle} (two publish intervals plus the simulator's
 * membership poll). Until then its share is 0. The members already there shed their extra
 * connections first, the newcomer opens its share after, so a join dips the population for a
 * moment instead of overshooting it (with no leader, one or the other has to happen; a dip never
 * pushes a server past its admission cap or a simulator past its open-file limit).
 */
public final class ClusterMembership implements Membership {

  private final Supplier<List<NodeSnapshot>> simulators;
  private final String selfId;
  private final long settleNanos;
  private final LongSupplier nanoClock;
  private long selfSeenAt;
  private boolean selfSeen;

  /**
   * @param memberPoll how often the simulator reads {@link #members()}: another member acts on
   *     this node's snapshot at most one publish interval plus one poll after it lands
   */
  public ClusterMembership(ClusterView view, String selfId, Duration memberPoll) {
    this(() -> view.snapshots(NodeSnapshot.ROLE_SIMULATOR), selfId,
        view.interval().multipliedBy(2).plus(memberPoll), System::nanoTime);
  }

  ClusterMembership(Supplier<List<NodeSnapshot>> simulators, String selfId, Duration settle, LongSupplier nanoClock) {
    this.simulators = simulators;
    this.selfId = selfId;
    this.settleNanos = settle.toNanos();
    this.nanoClock = nanoClock;
  }

  @Override
  public String selfId() {
    return selfId;
  }

  @Override
  public synchronized List<String> members() {
    TreeSet<String> ids = new TreeSet<>();
    for (NodeSnapshot s : simulators.get()) {
      ids.add(s.nodeId());
    }
    long now = nanoClock.getAsLong();
    if (!selfSeen && ids.contains(selfId)) {
      selfSeen = true;
      selfSeenAt = now;
    }
    if (selfSeen && now - selfSeenAt >= settleNanos) {
      ids.add(selfId); // joined: stays a member even if one refresh misses its snapshot
    } else {
      ids.remove(selfId);
    }
    return List.copyOf(ids);
  }
}
