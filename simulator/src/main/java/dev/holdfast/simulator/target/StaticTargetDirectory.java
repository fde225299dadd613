package dev.holdfast.simulator.target;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The standalone directory: the configured WebSocket URLs, loaded by this simulator's own counts
 * (nobody else's are known without a cluster), each backing off on its own after refusals and
 * failures with jittered exponential backoff.
 */
public final class StaticTargetDirectory extends BackingOffDirectory {

  private final List<Target> targets;
  private final ToLongFunction<Target> ownLoad;

  /** A directory over {@code urls}, with backoff from {@code initialNanos} doubling to {@code maxNanos}. */
  public StaticTargetDirectory(List<URI> urls, ToLongFunction<Target> ownLoad, long initialNanos, long maxNanos) {
    super(initialNanos, maxNanos);
    List<Target> list = new ArrayList<>();
    for (URI u : urls) {
      list.add(new Target(list.size(), u));
    }
    this.targets = List.copyOf(list);
    this.ownLoad = ownLoad;
  }

  /** The factory for a standalone run; {@code targets: "cluster"} is an error here, since there is no cluster view. */
  public static TargetDirectory create(SimulatorConfig config, ToLongFunction<Target> ownLoad) {
    if (config.clusterTargets()) {
      throw new ConfigException("$.targets", "\"cluster\" needs the cluster view to discover echo nodes, and this"
          + " simulator runs without one; list the nodes' WebSocket URLs instead, such as [\"ws://127.0.0.1:8080/ws\"]");
    }
    return new StaticTargetDirectory(config.targets(), ownLoad, config.backoff().initial().toNanos(),
        config.backoff().max().toNanos());
  }

  @Override
  public List<Target> targets() {
    return targets;
  }

  @Override
  public long load(Target target) {
    return ownLoad.applyAsLong(target);
  }
}
