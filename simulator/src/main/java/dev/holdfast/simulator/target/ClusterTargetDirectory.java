package dev.holdfast.simulator.target;

import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import dev.holdfast.simulator.config.SimulatorConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Targets discovered from the cluster view: every echo node with a live snapshot. A node that
 * joins becomes a target within a publish interval; one that dies or drains leaves the list.
 *
 * <p>Load for the least-loaded choice is the node's own count from its snapshot (up to an interval
 * old) plus this simulator's live count on it. That counts this simulator's connections twice, but
 * the same way on every node, and it moves at once as this simulator connects, so a ramp spreads
 * instead of piling onto whichever node looked emptiest at the last snapshot.
 */
public final class ClusterTargetDirectory extends BackingOffDirectory {

  private final ClusterView view;
  private final ToLongFunction<Target> ownLoad;
  /** One Target object per URL for the run's life, so per-target counts stay attached to it. */
  private final Map<String, Target> known = new HashMap<>();
  private volatile List<NodeSnapshot> seen = List.of();
  private volatile List<Target> targets = List.of();
  private volatile long[] heldByIndex = new long[0];

  ClusterTargetDirectory(ClusterView view, ToLongFunction<Target> ownLoad, long initialNanos, long maxNanos) {
    super(initialNanos, maxNanos);
    this.view = view;
    this.ownLoad = ownLoad;
  }

  /** The factory for a clustered run: targets from {@code view} when the config says {@code "cluster"}, else the list. */
  public static TargetDirectory.Factory over(ClusterView view) {
    return (config, ownLoad) -> config.clusterTargets()
        ? new ClusterTargetDirectory(view, ownLoad, config.backoff().initial().toNanos(), config.backoff().max().toNanos())
        : new StaticTargetDirectory(config.targets(), ownLoad, config.backoff().initial().toNanos(),
            config.backoff().max().toNanos());
  }

  @Override
  public List<Target> targets() {
    refresh();
    return targets;
  }

  /** Rebuilds the target list when the view has a new snapshot list; otherwise a single read. */
  private void refresh() {
    List<NodeSnapshot> now = view.snapshots();
    if (now == seen) {
      return;
    }
    synchronized (this) {
      if (now == seen) {
        return;
      }
      List<Target> list = new ArrayList<>();
      long[] held = new long[Math.max(known.size() + now.size(), heldByIndex.length)];
      for (NodeSnapshot s : now) {
        if (!s.role().equals(NodeSnapshot.ROLE_NODE) || s.wsUrl() == null || s.wsUrl().isEmpty()) {
          continue;
        }
        Target t = known.computeIfAbsent(s.wsUrl(), url -> new Target(known.size(), URI.create(url)));
        if (t.index() >= held.length) {
          held = java.util.Arrays.copyOf(held, t.index() + 1);
        }
        held[t.index()] = s.held();
        list.add(t);
      }
      heldByIndex = held;
      targets = List.copyOf(list);
      seen = now;
    }
  }

  @Override
  public long load(Target target) {
    long[] held = heldByIndex;
    long fromSnapshot = target.index() < held.length ? held[target.index()] : 0;
    return fromSnapshot + ownLoad.applyAsLong(target);
  }
}
