package dev.holdfast.simulator.fleet;

import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import java.util.List;
import java.util.TreeSet;

/**
 * The simulator fleet as the cluster view knows it: every simulator node with a live snapshot,
 * and this node itself from the start, so its first share already counts the others.
 */
public final class ClusterMembership implements Membership {

  private final ClusterView view;
  private final String selfId;

  public ClusterMembership(ClusterView view, String selfId) {
    this.view = view;
    this.selfId = selfId;
  }

  @Override
  public String selfId() {
    return selfId;
  }

  @Override
  public List<String> members() {
    TreeSet<String> ids = new TreeSet<>();
    ids.add(selfId);
    for (NodeSnapshot s : view.snapshots(NodeSnapshot.ROLE_SIMULATOR)) {
      ids.add(s.nodeId());
    }
    return List.copyOf(ids);
  }
}
