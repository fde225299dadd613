package dev.holdfast.simulator.target;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.config.ConfigException;
import dev.holdfast.simulator.schedule.ChurnSchedule;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;

/**
 * The standalone directory: the configured WebSocket URLs, loaded by this simulator's own counts
 * (nobody else's are known without a cluster), each backing off on its own after refusals and
 * failures with jittered exponential backoff.
 */
public final class StaticTargetDirectory implements TargetDirectory {

  private final List<Target> targets;
  private final ToLongFunction<Target> ownLoad;
  private final long initialNanos;
  private final long maxNanos;
  private final AtomicLongArray notBefore;
  private final AtomicIntegerArray failures;
  private final SplittableRandom seeds = new SplittableRandom();

  /** A directory over {@code urls}, with backoff from {@code initialNanos} doubling to {@code maxNanos}. */
  public StaticTargetDirectory(List<URI> urls, ToLongFunction<Target> ownLoad, long initialNanos, long maxNanos) {
    List<Target> list = new ArrayList<>();
    for (URI u : urls) {
      list.add(new Target(list.size(), u));
    }
    this.targets = List.copyOf(list);
    this.ownLoad = ownLoad;
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
    this.notBefore = new AtomicLongArray(list.size());
    this.failures = new AtomicIntegerArray(list.size());
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

  @Override
  public boolean available(Target target, long nowNanos) {
    return nowNanos - notBefore.get(target.index()) >= 0;
  }

  @Override
  public void refused(Target target, long retryAfterNanos, long nowNanos) {
    backOff(target, retryAfterNanos, nowNanos);
  }

  @Override
  public void failed(Target target, long nowNanos) {
    backOff(target, 0, nowNanos);
  }

  private void backOff(Target target, long atLeastNanos, long nowNanos) {
    int i = target.index();
    int n = failures.incrementAndGet(i);
    long delay;
    synchronized (seeds) {
      delay = ChurnSchedule.backoffNanos(n, initialNanos, maxNanos, seeds);
    }
    delay = Math.max(delay, atLeastNanos);
    long until = nowNanos + delay;
    long prev;
    do {
      prev = notBefore.get(i);
    } while (until - prev > 0 && !notBefore.compareAndSet(i, prev, until));
  }

  @Override
  public void succeeded(Target target) {
    if (failures.get(target.index()) != 0) {
      failures.set(target.index(), 0);
    }
  }
}
