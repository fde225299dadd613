package dev.holdfast.node;

import java.time.Duration;

/**
 * The schedule of one drain: how long it lasts and how many of an event loop's connections should
 * have been sent their 1001 by a given moment. Every loop closes the same fraction of its own
 * connections per tick, so the node as a whole closes {@code held / length} per second, give or
 * take one tick per loop. Pure arithmetic, no clock of its own.
 */
final class DrainPace {

  /** How often each event loop's drain task runs: one periodic task per loop, never a timer per socket. */
  static final long TICK_MILLIS = 100;

  private final long lengthMillis;

  private DrainPace(long lengthMillis) {
    this.lengthMillis = lengthMillis;
  }

  /**
   * The drain of {@code held} connections: the window, or longer when {@code maxPerSecond} (0 = no
   * cap) would be exceeded over the window.
   */
  static DrainPace plan(long held, DrainSettings settings) {
    long length = settings.window().toMillis();
    if (settings.maxPerSecond() > 0) {
      length = Math.max(length, ceilDiv(held * 1000, settings.maxPerSecond()));
    }
    return new DrainPace(length);
  }

  /** How long the closes are spread over; the node exits at the latest this plus the close timeout later. */
  Duration length() {
    return Duration.ofMillis(lengthMillis);
  }

  /** How many of a loop's {@code total} connections are due their close {@code elapsedMillis} into the drain. */
  int dueBy(int total, long elapsedMillis) {
    if (elapsedMillis >= lengthMillis) {
      return total;
    }
    return (int) ceilDiv((long) total * Math.max(0, elapsedMillis), lengthMillis);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
