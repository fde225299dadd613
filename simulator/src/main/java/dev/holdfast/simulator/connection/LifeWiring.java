package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.schedule.ChurnSchedule;
import dev.holdfast.simulator.schedule.HandshakeBudget;
import dev.holdfast.simulator.schedule.TickClock;
import dev.holdfast.simulator.schedule.TimingWheel;
import dev.holdfast.simulator.target.TargetDirectory;
import java.util.SplittableRandom;

/** What a verticle's {@link ConnectionLife} acts on: its schedule, budget, ledger, targets, randomness and I/O. */
record LifeWiring(int index, TickClock clock, TimingWheel<SimulatedConnection> wheel, HandshakeBudget budget,
    SimulatorLedger ledger, TargetDirectory directory, MessageFlow messages, ChurnSchedule churn,
    long backoffInitialNanos, long backoffMaxNanos, int connectTimeoutTicks, int closeTimeoutTicks,
    SplittableRandom random, RampTracker ramp, Dialer dialer) {

  /** The wiring of verticle {@code index}, with the churn schedule and backoff of {@code config}. */
  static LifeWiring of(SimulatorConfig config, int index, TickClock clock, TimingWheel<SimulatedConnection> wheel,
      HandshakeBudget budget, SimulatorLedger ledger, TargetDirectory directory, MessageFlow messages,
      SplittableRandom random, RampTracker ramp, Dialer dialer) {
    var c = config.churn();
    ChurnSchedule churn = new ChurnSchedule(c.fraction(), c.period(), c.reconnectDelay()[0], c.reconnectDelay()[1]);
    return new LifeWiring(index, clock, wheel, budget, ledger, directory, messages, churn,
        config.backoff().initial().toNanos(), config.backoff().max().toNanos(),
        clock.ticksCeil(config.connectTimeout().toNanos()), clock.ticksCeil(config.closeTimeout().toNanos()), random, ramp,
        dialer);
  }
}
