package dev.holdfast.simulator.connection;

import static dev.holdfast.simulator.connection.ConnectionState.CLOSED;
import static dev.holdfast.simulator.connection.ConnectionState.CLOSING;
import static dev.holdfast.simulator.connection.ConnectionState.CONNECTING;
import static dev.holdfast.simulator.connection.ConnectionState.OPEN;
import static dev.holdfast.simulator.connection.ConnectionState.RETIRED;
import static dev.holdfast.simulator.connection.ConnectionState.WAITING;

import dev.holdfast.simulator.config.StormOptions;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorClassifier;
import dev.holdfast.simulator.errors.ErrorCounts;
import dev.holdfast.simulator.target.Target;
import dev.holdfast.simulator.target.TargetDirectory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The {@link ConnectionState} machine of one verticle's connections. Each event (a timer due, a
 * handshake done, a failure, a close frame, a command) is one move, and the move performs its own
 * side effects: the handshake slot taken on entering CONNECTING and given back on leaving it, the
 * ledger's counts, the timer scheduled for the new state and cancelled for the old, the channel
 * closed. Callers only report events. An event the current state does not accept is refused and
 * counted as an illegal transition. Event loop only.
 */
final class ConnectionLife {

  private static final Logger LOG = Logger.getLogger(ConnectionLife.class.getName());

  private final LifeWiring w;
  private final ArrayDeque<SimulatedConnection> ready = new ArrayDeque<>();
  private final Consumer<SimulatedConnection> onDue = this::due;
  private final FrameHandler frames;
  private final OpenSchedule schedule;
  private final ReopenDelays delays;
  private RunPhase phase = RunPhase.HOLD;
  private long nextId;
  private Promise<Void> allClosed;

  ConnectionLife(LifeWiring wiring) {
    this.w = wiring;
    this.frames = new FrameHandler(this, wiring.messages(), wiring.ledger());
    this.schedule = new OpenSchedule(wiring);
    this.delays = new ReopenDelays(wiring);
  }

  /** True while the run holds: opening, churning, messaging. */
  boolean holding() {
    return phase == RunPhase.HOLD;
  }

  /** The frame handler every upgraded channel of this verticle shares. */
  /** A handshake finished after {@code nanos} from its connect: into the ledger's handshake buckets. */
  void handshakeDone(long nanos) {
    w.ledger().handshakeLatency().record(nanos);
  }

  FrameHandler frameHandler() {
    return frames;
  }

  /** Runs every event due up to {@code tick}, refilling the handshake budget tick by tick. */
  void advanceTo(int tick) {
    while (w.wheel().currentTick() < tick) {
      w.wheel().advance(onDue);
      w.budget().refill();
    }
  }

  /** Starts handshakes for the connections ready to open, as far as the handshake budget allows. */
  void startReady(long now) {
    if (phase == RunPhase.CLOSE_ALL) {
      return;
    }
    while (!ready.isEmpty()) {
      if (ready.peek().state != WAITING || ready.peek().scheduled()) {
        ready.poll(); // retired, closed, or already rescheduled since it was queued
        continue;
      }
      if (!w.budget().tryStart()) {
        return;
      }
      connect(ready.poll(), now);
    }
  }

  private void due(SimulatedConnection c) {
    switch (c.state) {
      case WAITING -> ready.add(c);
      case CONNECTING -> {
        // the attempt outlived connectTimeout: before TCP came up, or while waiting for the 101
        boolean tcpUp = c.channel != null && c.channel.isActive();
        failAttempt(c, ErrorCounts.of(tcpUp ? ErrorClass.HANDSHAKE_TIMEOUT : ErrorClass.CONNECT_TIMEOUT), true);
      }
      case OPEN -> {
        if (phase != RunPhase.HOLD) {
          return; // settling: no more churn or messages
        }
        if (schedule.churnDue(c)) {
          close(c, CloseCause.CHURN, 1000, "churn");
        } else {
          schedule.sendDue(c);
        }
      }
      case CLOSING -> c.channel.close(); // no answer to our close frame in time: channelClosed follows
      default -> illegal(c, "timer");
    }
  }

  // ---- opening

  /** A new seat, in WAITING: it opens as soon as the budget allows (or is CLOSED at once when the run is over). */
  void seatAdded(SimulatedConnection c) {
    w.ledger().onSeatAdded();
    if (phase == RunPhase.CLOSE_ALL) {
      move(c, CLOSED);
    } else {
      ready.add(c);
    }
  }

  /** WAITING to CONNECTING, holding the handshake slot just taken; stays WAITING when every target backs off. */
  private void connect(SimulatedConnection c, long now) {
    Target t = TargetDirectory.leastLoaded(w.directory(), now, w.random());
    if (t == null) {
      w.budget().finished();
      w.ledger().count(Count.NO_TARGET);
      w.wheel().schedule(c, w.wheel().currentTick() + Math.max(1, w.clock().ticksFloor(delays.backoff(c))));
      return;
    }
    if (!move(c, CONNECTING)) {
      w.budget().finished();
      return;
    }
    c.target = t;
    c.id = ((long) w.index() << 48) | ++nextId;
    c.echoes.reset();
    c.closeAnswered = false;
    c.closeCause = null;
    w.ledger().count(Count.HANDSHAKES);
    w.ledger().assign(t.index(), 1);
    w.wheel().schedule(c, w.wheel().currentTick() + w.connectTimeoutTicks());
    w.dialer().dial(c, t, this);
  }

  /** The channel of an attempt could not be made, registered or connected. */
  void connectFailed(SimulatedConnection c, Channel ch, Throwable cause) {
    if (isCurrent(c, ch) && expect(c, CONNECTING, "connect failed")) {
      ErrorClass kind = ErrorClassifier.classify(cause);
      failAttempt(c, ErrorCounts.of(kind), kind == ErrorClass.CONNECT_REFUSED || kind == ErrorClass.CONNECT_TIMEOUT);
    }
  }

  /** The server answered the upgrade with another status (such as 503 with Retry-After). */
  void handshakeRefused(SimulatedConnection c, Channel ch, int status, long retryAfterNanos) {
    if (isCurrent(c, ch) && expect(c, CONNECTING, "handshake refused")) {
      w.directory().refused(c.target, retryAfterNanos, System.nanoTime());
      failAttempt(c, ErrorCounts.handshakeStatus(status), false);
    }
  }

  /** The attempt failed on its channel: {@code errorIndex} names how; {@code blameTarget} backs off from the target. */
  void attemptFailed(SimulatedConnection c, Channel ch, int errorIndex, boolean blameTarget) {
    if (isCurrent(c, ch) && expect(c, CONNECTING, "attempt failed")) {
      failAttempt(c, errorIndex, blameTarget);
    }
  }

  /** CONNECTING to WAITING (or CLOSED/RETIRED), in one move: count, back off, free the slot, close, schedule the retry. */
  private void failAttempt(SimulatedConnection c, int errorIndex, boolean blameTarget) {
    ConnectionState next = afterEnd(c);
    w.ledger().error(errorIndex);
    if (blameTarget) {
      w.directory().failed(c.target, System.nanoTime());
    }
    endAttempt(c, next);
    if (next == WAITING) {
      waitToReopen(c, delays.backoff(c));
    }
  }

  /** Leaves CONNECTING: frees the handshake slot and the target's count, drops the timer, closes the channel. */
  private void endAttempt(SimulatedConnection c, ConnectionState next) {
    if (!move(c, next)) {
      return;
    }
    w.budget().finished();
    w.ledger().assign(c.target.index(), -1);
    w.wheel().cancel(c);
    Channel ch = c.channel;
    c.channel = null;
    if (ch != null) {
      ch.close();
    }
    checkAllClosed();
  }

  /** The upgrade completed: CONNECTING to OPEN; schedules the churn close and the first message. */
  void opened(SimulatedConnection c, Channel ch) {
    if (!isCurrent(c, ch)) {
      ch.close(); // an attempt already given up on
      return;
    }
    if (!expect(c, CONNECTING, "handshake done") || !move(c, OPEN)) {
      return;
    }
    ch.attr(FrameHandler.CONNECTION).set(c);
    w.budget().finished();
    w.wheel().cancel(c);
    w.directory().succeeded(c.target);
    c.failures = 0;
    w.ledger().count(Count.OPENED);
    w.ramp().opened(w.ledger());
    schedule.opened(c, phase == RunPhase.HOLD);
  }

  // ---- closing

  /** OPEN to CLOSING: our close frame goes out; the server's answering close frame ends it, or the close timeout. */
  void close(SimulatedConnection c, CloseCause cause, int code, String reason) {
    if (!move(c, CLOSING)) {
      return;
    }
    c.closeCause = cause;
    w.wheel().schedule(c, w.wheel().currentTick() + w.closeTimeoutTicks());
    c.channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /** OPEN to CLOSING by cutting TCP without a close frame: a network failure, as the server sees it. */
  private void cut(SimulatedConnection c, CloseCause cause) {
    if (move(c, CLOSING)) {
      c.closeCause = cause;
      w.wheel().cancel(c);
      c.channel.close();
    }
  }

  /** A close frame came: the answer to ours (CLOSING), or the server closing on its own (OPEN to CLOSING). */
  void closeFrame(SimulatedConnection c, Channel ch, int code, String reason) {
    if (!isCurrent(c, ch)) {
      return;
    }
    c.closeAnswered = true;
    if (c.state == CLOSING) {
      ch.close(); // the answer to our close frame
    } else if (expect(c, OPEN, "close frame") && move(c, CLOSING)) {
      w.ledger().error(ErrorCounts.closeCode(code < 0 ? 1005 : code));
      c.closeCause = CloseCause.SERVER;
      w.wheel().schedule(c, w.wheel().currentTick() + w.closeTimeoutTicks());
      ch.writeAndFlush(new CloseWebSocketFrame(code < 0 ? 1000 : code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * The socket closed: OPEN (dropped without a close frame) or CLOSING, to WAITING with the
   * reopen delay its cause calls for (or CLOSED/RETIRED), in one move.
   */
  void channelClosed(SimulatedConnection c, Channel ch) {
    if (!isCurrent(c, ch) || c.state != OPEN && !expect(c, CLOSING, "channel closed")) {
      return;
    }
    ConnectionState next = afterEnd(c);
    ConnectionState was = c.state;
    if (!move(c, next)) {
      return;
    }
    if (was == OPEN) {
      c.closeCause = CloseCause.LOST; // no close frame: reset, or the server died
      w.ledger().error(ErrorCounts.of(ErrorClass.CONNECTION_LOST));
      w.directory().failed(c.target, System.nanoTime());
    }
    // after the server's answer to our close frame nothing more can come: what is missing is lost
    boolean allAnswered = c.closeAnswered && c.closeCause != CloseCause.SERVER && c.closeCause != CloseCause.LOST;
    w.messages().closeOutstanding(c, allAnswered, System.nanoTime());
    w.ledger().closed(c.closeCause);
    w.ledger().assign(c.target.index(), -1);
    w.wheel().cancel(c);
    c.channel = null;
    if (next != WAITING) {
      checkAllClosed();
      return;
    }
    waitToReopen(c, delays.afterClose(c, c.closeCause));
  }

  private void waitToReopen(SimulatedConnection c, long delayNanos) {
    if (phase == RunPhase.SETTLE) {
      ready.add(c); // settling: reopen as soon as the budget allows
    } else {
      w.wheel().schedule(c, w.wheel().currentTick() + Math.max(1, w.clock().ticksFloor(delayNanos)));
    }
  }

  /** Where a connection goes when an attempt or an open ends. */
  private ConnectionState afterEnd(SimulatedConnection c) {
    return c.retiring ? RETIRED : phase == RunPhase.CLOSE_ALL ? CLOSED : WAITING;
  }

  // ---- commands

  /** The seat left the share: it closes (1000 "rebalance") if open, and ends RETIRED, never reopened. */
  void retire(SimulatedConnection c) {
    c.retiring = true;
    switch (c.state) {
      case OPEN -> close(c, CloseCause.REBALANCE, 1000, "rebalance");
      case CONNECTING -> endAttempt(c, RETIRED);
      case WAITING, CLOSED -> {
        w.wheel().cancel(c);
        move(c, RETIRED);
      }
      default -> { } // CLOSING: RETIRED once closed; RETIRED already
    }
  }

  /** Settles: no more churn or messages, and whatever waits reopens as soon as the budget allows. */
  void settle(SimulatedConnection[] seats) {
    phase = phase == RunPhase.HOLD ? RunPhase.SETTLE : phase;
    for (SimulatedConnection c : seats) {
      if (phase == RunPhase.SETTLE && c.state == WAITING && c.scheduled()) {
        w.wheel().cancel(c);
        ready.add(c);
      }
    }
  }

  /** The run is over: nothing reopens; {@link #endOfRun} each seat, then the future completes once all are closed. */
  Future<Void> closingAll() {
    phase = RunPhase.CLOSE_ALL;
    allClosed = Promise.promise();
    ready.clear();
    return allClosed.future();
  }

  /** Ends {@code c} for the run: an open one closes (1000), an attempt or a wait ends CLOSED. */
  void endOfRun(SimulatedConnection c) {
    switch (c.state) {
      case OPEN -> close(c, CloseCause.END, 1000, "run over");
      case CONNECTING -> endAttempt(c, CLOSED);
      case WAITING -> {
        w.wheel().cancel(c);
        move(c, CLOSED);
      }
      default -> { }
    }
  }

  /** Completes the close-all once no connection is connecting, open or closing. */
  void checkAllClosed() {
    SimulatorLedger l = w.ledger();
    if (allClosed != null && l.inState(CONNECTING) + l.inState(OPEN) + l.inState(CLOSING) == 0) {
      allClosed.tryComplete();
    }
  }

  /** Storm mode: {@code c} is dropped, closed with 1001 or cut without a close frame; it reopens within the storm's delay. */
  void stormDrop(SimulatedConnection c, StormOptions storm) {
    delays.storm(storm);
    if (storm.abrupt()) {
      cut(c, CloseCause.STORM);
    } else {
      close(c, CloseCause.STORM, 1001, "storm");
    }
  }

  // ---- the moves themselves

  /** An event about a channel the connection has since left behind (timed out, closed) is no event. */
  private static boolean isCurrent(SimulatedConnection c, Channel ch) {
    return c.channel == ch;
  }

  private boolean expect(SimulatedConnection c, ConnectionState state, String event) {
    if (c.state == state) {
      return true;
    }
    illegal(c, event);
    return false;
  }

  /** Moves {@code c} to {@code next} and counts it; an illegal move is refused, counted and reported. */
  private boolean move(SimulatedConnection c, ConnectionState next) {
    ConnectionState from = c.state;
    if (!from.canMoveTo(next)) {
      illegal(c, "move to " + next);
      return false;
    }
    c.state = next;
    w.ledger().onMove(from, next);
    return true;
  }

  private void illegal(SimulatedConnection c, String event) {
    if (w.ledger().get(Count.ILLEGAL_TRANSITIONS) == 0) {
      LOG.severe("simulator verticle " + w.index() + ": " + event + " is not a legal transition for " + c
          + " (counted in illegalTransitions; further ones are counted, not logged)");
    }
    w.ledger().count(Count.ILLEGAL_TRANSITIONS);
  }
}
