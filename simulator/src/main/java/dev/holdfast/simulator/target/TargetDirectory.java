package dev.holdfast.simulator.target;

import dev.holdfast.simulator.config.SimulatorConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * Where connections may go: the current targets with their load, for a least-loaded choice, and
 * the targets to avoid for a while because they refused (503) or failed. Implementations are
 * called from every simulator event loop at once and must be thread-safe; {@link #targets()} and
 * {@link #load} are called once per connection attempt, so they must be cheap reads (no I/O).
 *
 * <p>The standalone implementation is {@link StaticTargetDirectory}: the configured URLs, loaded
 * by this simulator's own counts. A cluster-backed one reads the cluster view instead.
 */
public interface TargetDirectory {

  /** Makes the directory for a run. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param config the simulator's config (targets, backoff)
     * @param ownLoad this simulator's own count of connections on a target (connecting or open)
     */
    TargetDirectory create(SimulatorConfig config, ToLongFunction<Target> ownLoad);
  }

  /** The targets connections may go to now. The same endpoint is the same {@link Target} object across calls. */
  List<Target> targets();

  /** Connections on {@code target} as far as this directory knows, for the least-loaded choice. */
  long load(Target target);

  /** False while {@code target} is backing off after a refusal or failure. */
  boolean available(Target target, long nowNanos);

  /** {@code target} refused a handshake (such as 503); {@code retryAfterNanos} is its Retry-After, or 0. */
  void refused(Target target, long retryAfterNanos, long nowNanos);

  /** A connect to {@code target} failed, or it dropped its connections: back off from it. */
  void failed(Target target, long nowNanos);

  /** A handshake with {@code target} succeeded: it is healthy again. */
  void succeeded(Target target);

  /** Closes what the directory holds (listeners, cluster maps). */
  default void close() {
  }

  /**
   * Picks the least-loaded available target, breaking ties at random; null when every target is
   * backing off or there are none.
   */
  static Target leastLoaded(TargetDirectory directory, long nowNanos, SplittableRandom random) {
    List<Target> all = directory.targets();
    int n = all.size();
    if (n == 0) {
      return null;
    }
    int start = n == 1 ? 0 : random.nextInt(n);
    Target best = null;
    long bestLoad = Long.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      Target t = all.get((start + k) % n);
      if (!directory.available(t, nowNanos)) {
        continue;
      }
      long load = directory.load(t);
      if (load < bestLoad) {
        best = t;
        bestLoad = load;
      }
    }
    return best;
  }
}
