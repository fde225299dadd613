package dev.holdfast.simulator.schedule;

/**
 * The simulator's time as whole ticks since a start instant, shared by every verticle of a node so
 * that their schedules line up. A tick's <em>nominal</em> time is when it should happen; the
 * schedule may run it later, and that lateness is what latency from the intended send time
 * includes.
 *
 * @param startNanos tick 0, on the {@link System#nanoTime()} clock
 * @param tickNanos length of a tick
 */
public record TickClock(long startNanos, long tickNanos) {

  /** Ticks far enough ahead to mean "not in this run" without overflowing tick arithmetic. */
  public static final int FAR = Integer.MAX_VALUE / 4;

  /** The tick containing {@code nanos}. */
  public int tickAt(long nanos) {
    return (int) ((nanos - startNanos) / tickNanos);
  }

  /** When {@code tick} should happen. */
  public long nominalNanos(int tick) {
    return startNanos + tick * tickNanos;
  }

  /** A duration in whole ticks, rounded up, at least one. */
  public int ticksCeil(long nanos) {
    return (int) Math.min(FAR, Math.max(1, (nanos + tickNanos - 1) / tickNanos));
  }

  /** A duration in whole ticks, rounded down, at most {@link #FAR}. */
  public int ticksFloor(long nanos) {
    return (int) Math.min(FAR, Math.max(0, nanos / tickNanos));
  }
}
