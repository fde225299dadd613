package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.schedule.ChurnSchedule;

/**
 * When an open connection's next event is due on its verticle's wheel: its churn close (an
 * exponentially distributed lifetime, so closes form a steady random stream) or its next message
 * (phase-spread: the first at a random tick within one interval). Event loop only.
 */
final class OpenSchedule {

  private final LifeWiring w;

  OpenSchedule(LifeWiring wiring) {
    this.w = wiring;
  }

  /** A connection just opened: picks its lifetime and first send tick; {@code holding} false = no churn, no wake. */
  void opened(SimulatedConnection c, boolean holding) {
    int tick = w.wheel().currentTick();
    long life = holding ? w.churn().lifetimeNanos(w.random()) : ChurnSchedule.FOREVER;
    c.closeAtTick = life == ChurnSchedule.FOREVER ? SimulatedConnection.NEVER
        : tick + Math.max(1, w.clock().ticksFloor(life));
    MessageFlow m = w.messages();
    c.firstSendTick = m.enabled() ? tick + 1 + w.random().nextInt(m.intervalTicks()) : SimulatedConnection.NEVER;
    if (holding) {
      wake(c);
    }
  }

  /** True when churn closes {@code c} now. */
  boolean churnDue(SimulatedConnection c) {
    return c.closeAtTick <= w.wheel().currentTick();
  }

  /** Sends the messages of {@code c} that are due, and schedules its next event. */
  void sendDue(SimulatedConnection c) {
    w.messages().sendDue(c, w.wheel().currentTick(), System.nanoTime());
    wake(c);
  }

  private void wake(SimulatedConnection c) {
    int next = Math.min(c.closeAtTick, w.messages().nextSendTick(c));
    if (next != SimulatedConnection.NEVER) {
      w.wheel().schedule(c, next);
    }
  }
}
