package dev.holdfast.simulator.target;

import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import io.vertx.core.Future;

/**
 * The servers' count from the cluster view, no cluster call: what all echo nodes say they hold,
 * less what the other simulators of the fleet say they hold. That is the servers' count of this
 * simulator's connections, comparable with its own and the kernel's, and exact when simulators
 * are the nodes' only clients and the snapshots are fresh (a publish interval or less).
 */
public final class ClusterServerCount implements ServerCount {

  private final ClusterView view;
  private final String selfId;

  public ClusterServerCount(ClusterView view, String selfId) {
    this.view = view;
    this.selfId = selfId;
  }

  @Override
  public Future<Long> held() {
    long others = 0;
    for (NodeSnapshot s : view.snapshots(NodeSnapshot.ROLE_SIMULATOR)) {
      if (!s.nodeId().equals(selfId)) {
        others += s.held();
      }
    }
    return Future.succeededFuture(view.heldByNodes() - others);
  }
}
