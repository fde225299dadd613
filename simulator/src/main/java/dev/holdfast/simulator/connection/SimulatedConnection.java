package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.echo.EchoTracker;
import dev.holdfast.simulator.schedule.TimingWheel;
import dev.holdfast.simulator.target.Target;
import io.netty.channel.Channel;

/**
 * One seat of the population: a connection that is opened, held, closed and reopened again and
 * again, as one small object reused for its whole life (about 120 bytes with its echo tracker).
 * There are no per-connection timers: the verticle's {@link TimingWheel} wakes it through the
 * links it inherits. Only {@link ConnectionLife} changes its state; touched only by its verticle's
 * event loop.
 */
public final class SimulatedConnection extends TimingWheel.Entry {

  /** A tick that never comes. */
  static final int NEVER = Integer.MAX_VALUE;

  final int seat;
  final EchoTracker echoes = new EchoTracker();
  ConnectionState state = ConnectionState.WAITING;
  Channel channel;
  Target target;
  /** Unique per open, carried in every payload: an echo from another connection is caught. */
  long id;
  /** The tick of the first message of this open; message n is intended at {@code firstSendTick + n * interval}. */
  int firstSendTick = NEVER;
  /** The tick at which churn closes this open. */
  int closeAtTick = NEVER;
  CloseCause closeCause;
  /** Consecutive failed attempts, for backoff. */
  byte failures;
  /** The server's close frame arrived: every echo it sent before has arrived too. */
  boolean closeAnswered;
  /** The seat has left the share while closing: once closed, it is RETIRED instead of reopened. */
  boolean retiring;

  SimulatedConnection(int seat) {
    this.seat = seat;
  }

  public ConnectionState state() {
    return state;
  }

  @Override
  public String toString() {
    return "connection " + seat + " " + state + (target == null ? "" : " to " + target);
  }
}
