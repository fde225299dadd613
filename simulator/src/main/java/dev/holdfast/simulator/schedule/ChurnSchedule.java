package dev.holdfast.simulator.schedule;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The churn policy as numbers: how long each connection lives before it is closed, and how long it
 * waits before it reopens.
 *
 * <p><b>Why lifetimes, and why exponential.</b> Churn is "a fraction f of the population P closed
 * and reopened per period T, as a steady random stream". Each seat of the population runs a
 * renewal cycle: open for a lifetime L, closed for a reopen delay D (uniform in the configured
 * range), open again. Drawing L from an exponential distribution makes every open connection
 * equally likely to close at any instant, whatever its age (the distribution is memoryless), so
 * the closes form a Poisson stream with no waves, even right after a ramp that opened everything
 * at once. Choosing the mean lifetime as {@code T/f - E[D]} makes one cycle last {@code T/f} on
 * average, so each seat churns f times per T and the population churns f·P per T in expectation:
 * the renewal rate is exact even though a few connections are always waiting to reopen.
 *
 * <p>The alternative, a Poisson process at rate f·P/T that picks a random open connection to
 * close, gives the same stream but needs a random pick from the open set at every close, which
 * means an indexable set per verticle; a lifetime is one number per connection drawn when it
 * opens, and fits the per-verticle timing wheel directly.
 */
public final class ChurnSchedule {

  /** A lifetime that never ends: churn is off. */
  public static final long FOREVER = Long.MAX_VALUE;

  private final double fraction;
  private final long periodNanos;
  private final long reconnectLowNanos;
  private final long reconnectHighNanos;
  private final double meanLifetimeNanos;

  /** A schedule closing {@code fraction} of the population per {@code period}, reopening after [low, high]. */
  public ChurnSchedule(double fraction, Duration period, Duration reconnectLow, Duration reconnectHigh) {
    if (fraction < 0 || reconnectLow.compareTo(reconnectHigh) > 0) {
      throw new IllegalArgumentException("fraction " + fraction + ", reconnect delay [" + reconnectLow + ", " + reconnectHigh + "]");
    }
    this.fraction = fraction;
    this.periodNanos = period.toNanos();
    this.reconnectLowNanos = reconnectLow.toNanos();
    this.reconnectHighNanos = reconnectHigh.toNanos();
    double cycle = fraction == 0 ? Double.POSITIVE_INFINITY : periodNanos / fraction;
    this.meanLifetimeNanos = Math.max(0, cycle - meanReconnectDelayNanos());
  }

  /** True when connections are churned at all. */
  public boolean active() {
    return fraction > 0;
  }

  /** The configured fraction per period. */
  public double fraction() {
    return fraction;
  }

  public long periodNanos() {
    return periodNanos;
  }

  /** Mean time a connection stays open before churn closes it, in nanoseconds ({@code T/f - E[D]}). */
  public double meanLifetimeNanos() {
    return meanLifetimeNanos;
  }

  /** Mean reopen delay, in nanoseconds. */
  public double meanReconnectDelayNanos() {
    return (reconnectLowNanos + reconnectHighNanos) / 2.0;
  }

  /** Draws the lifetime of a newly opened connection; {@link #FOREVER} when churn is off. */
  public long lifetimeNanos(SplittableRandom random) {
    if (!active()) {
      return FOREVER;
    }
    // inverse transform: -ln(U) * mean, U in (0, 1]
    double u = 1.0 - random.nextDouble();
    return (long) (-Math.log(u) * meanLifetimeNanos);
  }

  /** Draws the jittered delay before a churned connection reopens, uniform in [low, high]. */
  public long reconnectDelayNanos(SplittableRandom random) {
    return uniform(random, reconnectLowNanos, reconnectHighNanos);
  }

  /** A uniform draw in [low, high]. */
  public static long uniform(SplittableRandom random, long low, long high) {
    return high <= low ? low : low + (long) (random.nextDouble() * (high - low));
  }

  /** Closes expected per period for a population: f·P. */
  public double expectedClosesPerPeriod(long population) {
    return fraction * population;
  }

  /**
   * Selection sampling (Knuth's algorithm S) for storm mode: walking the candidates once, take this
   * one with probability {@code needed / remaining}, which picks exactly {@code needed} of them,
   * uniformly, without a list of candidates.
   *
   * @param needed how many still have to be picked
   * @param remaining how many candidates are left, this one included
   */
  public static boolean pickForStorm(long needed, long remaining, SplittableRandom random) {
    return needed > 0 && random.nextDouble() * remaining < needed;
  }

  /**
   * The jittered exponential backoff after {@code failures} consecutive failures (1 = the first):
   * {@code min(max, initial * 2^(failures-1))}, then scaled by a random factor in [0.5, 1] so that
   * connections failing together do not retry together.
   */
  public static long backoffNanos(int failures, long initialNanos, long maxNanos, SplittableRandom random) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    long ceiling = initialNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, initialNanos << doublings);
    return (long) (ceiling * (0.5 + 0.5 * random.nextDouble()));
  }
}
