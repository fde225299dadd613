package dev.holdfast.simulator.target;

import dev.holdfast.simulator.schedule.ChurnSchedule;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which targets to avoid for a while: after a refusal or failure a target backs off with jittered
 * exponential delays (at least its Retry-After), and a success clears it. Keyed by target index;
 * an entry exists only for a target that is failing, so a healthy fleet costs nothing here.
 * Thread-safe: every simulator event loop reports and asks at once.
 */
final class TargetBackoff {

  private final long initialNanos;
  private final long maxNanos;
  private final Map<Integer, Long> notBefore = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
  private final SplittableRandom seeds = new SplittableRandom();

  TargetBackoff(long initialNanos, long maxNanos) {
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
  }

  boolean available(Target target, long nowNanos) {
    Long until = notBefore.get(target.index());
    return until == null || nowNanos - until >= 0;
  }

  /** Backs off from {@code target} for the next delay of its failure streak, and at least {@code atLeastNanos}. */
  void backOff(Target target, long atLeastNanos, long nowNanos) {
    int n = failures.merge(target.index(), 1, Integer::sum);
    long delay;
    synchronized (seeds) {
      delay = ChurnSchedule.backoffNanos(n, initialNanos, maxNanos, seeds);
    }
    long until = nowNanos + Math.max(delay, atLeastNanos);
    notBefore.merge(target.index(), until, (a, b) -> b - a > 0 ? b : a);
  }

  /** A success ends the failure streak; an expired backoff is simply in the past. */
  void succeeded(Target target) {
    failures.remove(target.index());
  }
}
