package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.config.RampOptions;
import dev.holdfast.simulator.config.StormOptions;
import dev.holdfast.simulator.fleet.PopulationShare;
import dev.holdfast.simulator.schedule.ChurnSchedule;
import dev.holdfast.simulator.schedule.HandshakeBudget;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seats of one verticle: one {@link SimulatedConnection} per connection of its share. A larger
 * share adds seats (they start WAITING, ready to open); a smaller one retires the last seats (they
 * close and end RETIRED). The ramp rate and in-flight bound follow the share. Commands that act on
 * every seat (storm, settle, close all) go through here to each seat's {@link ConnectionLife}
 * event. Event loop only.
 */
final class SeatPool {

  private final ConnectionLife life;
  private final HandshakeBudget budget;
  private final RampTracker ramp;
  private final RampOptions rampOptions;
  private final SimulatorLedger ledger;
  private final SplittableRandom random;
  private final MessageFlow messages;
  private SimulatedConnection[] seats = new SimulatedConnection[0];

  SeatPool(ConnectionLife life, LifeWiring wiring, RampOptions rampOptions) {
    this.life = life;
    this.budget = wiring.budget();
    this.ramp = wiring.ramp();
    this.ledger = wiring.ledger();
    this.random = wiring.random();
    this.messages = wiring.messages();
    this.rampOptions = rampOptions;
  }

  /** Sets the share to {@code newShare} of a fleet-wide {@code population}. */
  void resize(int newShare, long population) {
    if (newShare > seats.length) {
      SimulatedConnection[] grown = Arrays.copyOf(seats, newShare);
      for (int i = seats.length; i < newShare; i++) {
        grown[i] = new SimulatedConnection(i);
        life.seatAdded(grown[i]);
      }
      seats = grown;
    } else if (newShare < seats.length) {
      for (int i = newShare; i < seats.length; i++) {
        life.retire(seats[i]);
      }
      seats = Arrays.copyOf(seats, newShare);
    }
    double rate = PopulationShare.scaled(rampOptions.perSecond(), newShare, population);
    int inFlight = (int) Math.max(1, Math.round(PopulationShare.scaled(rampOptions.inFlight(), newShare, population)));
    budget.resize(rate, inFlight);
    ramp.shareSet(newShare);
  }

  /** Drops a fraction of the held connections at once, chosen at random (storm mode). */
  void storm(StormOptions storm) {
    if (!life.holding()) {
      return;
    }
    long open = 0;
    for (SimulatedConnection c : seats) {
      open += c.state == ConnectionState.OPEN ? 1 : 0;
    }
    long needed = Math.round(storm.fraction() * open);
    long remaining = open;
    for (SimulatedConnection c : seats) {
      if (c.state != ConnectionState.OPEN) {
        continue;
      }
      if (ChurnSchedule.pickForStorm(needed, remaining, random)) {
        needed--;
        life.stormDrop(c, storm);
      }
      remaining--;
    }
  }

  /** Stops churn and messages; reopens whatever waits, so the final counts see a full population. */
  void settle() {
    life.settle(seats);
  }

  /**
   * True when nothing is in flight any more: no connection connecting, waiting or closing, and no
   * echo still expected (one sent more than messages.lostAfter ago is not).
   */
  boolean isSettled(long now) {
    if (ledger.inState(ConnectionState.CONNECTING) + ledger.inState(ConnectionState.WAITING)
        + ledger.inState(ConnectionState.CLOSING) > 0) {
      return false;
    }
    for (SimulatedConnection c : seats) {
      if (c.state == ConnectionState.OPEN && messages.awaitingEcho(c, now)) {
        return false;
      }
    }
    return true;
  }

  /** Closes every connection (1000); completes when none is connecting, open or closing. */
  Future<Void> closeAll() {
    Future<Void> closed = life.closingAll();
    for (SimulatedConnection c : seats) {
      life.endOfRun(c);
    }
    life.checkAllClosed();
    return closed;
  }

  /** The current seats; the array is replaced, never changed in place, when the share changes. */
  SimulatedConnection[] seats() {
    return seats;
  }
}
