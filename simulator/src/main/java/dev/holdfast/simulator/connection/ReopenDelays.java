package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.config.StormOptions;
import dev.holdfast.simulator.schedule.ChurnSchedule;

/**
 * How long a connection waits before it opens again: after a churn close, the churn's jittered
 * reconnect delay; after a storm, the storm's; after a failure (a failed attempt, a server close,
 * a drop), a jittered backoff doubling with each consecutive failure. Event loop only.
 */
final class ReopenDelays {

  private final LifeWiring w;
  private long stormLow;
  private long stormHigh;

  ReopenDelays(LifeWiring wiring) {
    this.w = wiring;
  }

  /** The storm that hit: its reconnect delay applies to what it dropped. */
  void storm(StormOptions storm) {
    stormLow = storm.reconnectDelay()[0].toNanos();
    stormHigh = storm.reconnectDelay()[1].toNanos();
  }

  /** The delay after an open connection ended for {@code cause}. */
  long afterClose(SimulatedConnection c, CloseCause cause) {
    return switch (cause) {
      case CHURN -> w.churn().reconnectDelayNanos(w.random());
      case STORM -> ChurnSchedule.uniform(w.random(), stormLow, stormHigh);
      default -> backoff(c); // the server closed or died: jittered backoff, likely to another target
    };
  }

  /** The backoff after one more consecutive failure of {@code c}. */
  long backoff(SimulatedConnection c) {
    if (c.failures < Byte.MAX_VALUE) {
      c.failures++;
    }
    return ChurnSchedule.backoffNanos(c.failures, w.backoffInitialNanos(), w.backoffMaxNanos(), w.random());
  }
}
