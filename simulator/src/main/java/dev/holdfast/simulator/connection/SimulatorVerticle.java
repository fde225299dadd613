package dev.holdfast.simulator.connection;

import dev.holdfast.vertx.VertxInternals;
import dev.holdfast.metrics.LatencyBuckets;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.config.SimulatorConfig.Storm;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorClassifier;
import dev.holdfast.simulator.errors.ErrorCounts;
import dev.holdfast.simulator.fleet.PopulationShare;
import dev.holdfast.simulator.schedule.ChurnSchedule;
import dev.holdfast.simulator.schedule.HandshakeBudget;
import dev.holdfast.simulator.schedule.TickClock;
import dev.holdfast.simulator.schedule.TimingWheel;
import dev.holdfast.simulator.target.Target;
import dev.holdfast.simulator.target.TargetDirectory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * One simulator verticle: holds its share of the population on its own event loop, opening,
 * messaging, churning and reopening connections, each through the {@link ConnectionState}s.
 *
 * <p>Why not Vert.x's WebSocket client: it keeps some 15 KB of queues and HTTP objects per
 * connection and caps connections per endpoint. Each verticle runs Netty's own HTTP and WebSocket
 * client handlers directly on the event loop Vert.x gave its context ({@link ClientConnector});
 * after the upgrade a connection is a Netty channel with a frame decoder, an encoder, the
 * verticle's shared {@link FrameHandler}, and one {@link SimulatedConnection}.
 *
 * <p>Time is a tick counter ({@link TickClock}, 10 ms by default) shared by every verticle of the
 * node: sends, churn closes, reopens and timeouts are all due at a tick, kept in one
 * {@link TimingWheel}; there are no per-connection timers. Everything here runs on the verticle's
 * event loop; other threads only read the {@link SimulatorLedger} and the histograms.
 */
public final class SimulatorVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(SimulatorVerticle.class.getName());
  private static final int WHEEL_BUCKETS = 1024;

  /** What the verticle is doing with its share. */
  enum Phase {
    /** Opening, holding, churning and messaging. */
    HOLD,
    /** No more churn or messages; reopening what waits, letting echoes come in. */
    SETTLE,
    /** Closing everything. */
    CLOSE_ALL
  }

  private final SimulatorConfig config;
  private final int index;
  private final int instances;
  private final TickClock clock;
  private final int connectTimeoutTicks;
  private final int closeTimeoutTicks;
  private final long rampStartNanos;
  private final long backoffInitialNanos;
  private final long backoffMaxNanos;
  private final ChurnSchedule churn;
  private final TargetDirectory directory;
  private final SimulatorLedger ledger = new SimulatorLedger();
  private final MessageFlow messages;
  private final LatencyBuckets handshakeLatency = new LatencyBuckets();
  private final SplittableRandom random;
  private final FrameHandler frames = new FrameHandler(this);
  private final ArrayDeque<SimulatedConnection> ready = new ArrayDeque<>();
  private final Runnable onTimer = this::onTimer;
  private final Consumer<SimulatedConnection> onDue = this::onDue;

  private EventLoop loop;
  private ClientConnector connector;
  private TimingWheel<SimulatedConnection> wheel;
  private HandshakeBudget budget;
  private SimulatedConnection[] seats = new SimulatedConnection[0];
  private Phase phase = Phase.HOLD;
  private long nextId;
  private long stormDelayLow;
  private long stormDelayHigh;
  private ScheduledFuture<?> timer;
  private Promise<Void> allClosed;
  private volatile int share;
  private volatile long rampDoneNanos;
  private volatile long firstOpenNanos;
  private volatile long openedAtRampDone;
  private volatile boolean stopped;

  /**
   * @param index this verticle's number among the node's {@code instances}
   * @param runStartNanos the node's time zero ({@link System#nanoTime()}): tick 0 of every verticle
   * @param seed of this verticle's random choices
   */
  public SimulatorVerticle(SimulatorConfig config, int index, int instances, long runStartNanos,
      TargetDirectory directory, long seed) {
    this.config = config;
    this.index = index;
    this.instances = instances;
    this.clock = new TickClock(runStartNanos, config.tick().toNanos());
    this.connectTimeoutTicks = clock.ticksCeil(config.connectTimeout().toNanos());
    this.closeTimeoutTicks = clock.ticksCeil(config.closeTimeout().toNanos());
    this.rampStartNanos = runStartNanos + config.ramp().delay().toNanos();
    this.backoffInitialNanos = config.backoff().initial().toNanos();
    this.backoffMaxNanos = config.backoff().max().toNanos();
    SimulatorConfig.Churn c = config.churn();
    this.churn = new ChurnSchedule(c.fraction(), c.period(), c.reconnectDelay()[0], c.reconnectDelay()[1]);
    this.directory = directory;
    this.random = new SplittableRandom(seed);
    long interval = config.messages().interval().toNanos();
    int intervalTicks = interval == 0 ? 0 : (int) Math.max(1, Math.round((double) interval / clock.tickNanos()));
    this.messages = new MessageFlow(clock, intervalTicks, config.messages().payloadBytes(),
        config.messages().lateAfter().toNanos(), config.messages().lostAfter().toNanos(), ledger);
  }

  @Override
  public Future<?> start() {
    loop = VertxInternals.eventLoop(context);
    InetSocketAddress[] sources = config.sourceAddresses().stream().map(a -> new InetSocketAddress(a, 0))
        .toArray(InetSocketAddress[]::new);
    connector = new ClientConnector(loop, VertxInternals.clientChannelFactory(vertx),
        vertx.isNativeTransportEnabled(), sources, instances, index);
    wheel = new TimingWheel<>(WHEEL_BUCKETS, clock.tickAt(System.nanoTime()));
    budget = new HandshakeBudget(0, 1, clock.tickNanos());
    scheduleTimer();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    Promise<Void> done = Promise.promise();
    loop.execute(() -> {
      stopped = true;
      if (timer != null) {
        timer.cancel(false);
      }
      for (SimulatedConnection c : seats) {
        if (c.channel != null) {
          c.channel.close();
        }
      }
      done.complete();
    });
    return done.future();
  }

  // ---- commands from the node; each hops onto this verticle's event loop

  /**
   * Sets how many connections this verticle holds, out of a fleet-wide {@code population}: new
   * seats join the ramp queue; seats beyond the share are retired (closed, not reopened). Ramp
   * rate and in-flight bound are scaled to the share.
   */
  public void setShare(long newShare, long population) {
    loop.execute(() -> applyShare((int) newShare, population));
  }

  /** Drops a fraction of the held connections at once (storm mode). */
  public void storm(Storm storm) {
    loop.execute(() -> applyStorm(storm));
  }

  /** Stops churn and messages; reopens whatever waits, so the final counts see a full population. */
  public void settle() {
    loop.execute(() -> {
      if (phase != Phase.HOLD) {
        return;
      }
      phase = Phase.SETTLE;
      for (SimulatedConnection c : seats) {
        if (c.state() == ConnectionState.WAITING && c.scheduled()) {
          wheel.cancel(c);
          ready.add(c);
        }
      }
    });
  }

  /**
   * True when nothing is in flight any more: no connection connecting, waiting or closing, and no
   * echo still expected (one sent more than messages.lostAfter ago is not).
   */
  public Future<Boolean> settled() {
    Promise<Boolean> p = Promise.promise();
    loop.execute(() -> p.complete(isSettled(System.nanoTime())));
    return p.future();
  }

  private boolean isSettled(long now) {
    if (ledger.inState(ConnectionState.CONNECTING) + ledger.inState(ConnectionState.WAITING)
        + ledger.inState(ConnectionState.CLOSING) > 0) {
      return false;
    }
    for (SimulatedConnection c : seats) {
      if (c.state() == ConnectionState.OPEN && messages.awaitingEcho(c, now)) {
        return false;
      }
    }
    return true;
  }

  /** Closes every connection (1000) and completes when all are closed, or cut off after closeTimeout. */
  public Future<Void> closeAll() {
    Promise<Void> p = Promise.promise();
    loop.execute(() -> {
      phase = Phase.CLOSE_ALL;
      allClosed = p;
      ready.clear();
      for (SimulatedConnection c : seats) {
        switch (c.state()) {
          case OPEN -> close(c, CloseCause.END, 1000, "run over");
          case CONNECTING -> endAttempt(c);
          case WAITING -> {
            wheel.cancel(c);
            move(c, ConnectionState.CLOSED);
          }
          default -> { }
        }
      }
      checkAllClosed();
    });
    return p.future();
  }

  private void checkAllClosed() {
    if (allClosed != null && ledger.inState(ConnectionState.CONNECTING) + ledger.inState(ConnectionState.OPEN)
        + ledger.inState(ConnectionState.CLOSING) == 0) {
      allClosed.tryComplete();
    }
  }

  // ---- what other threads read

  public SimulatorLedger ledger() {
    return ledger;
  }

  /** Echo latencies (µs, from the intended send time) since the last call; {@code recycle} may be the last result. */
  public Histogram takeLatency(Histogram recycle) {
    return messages.takeLatency(recycle);
  }

  /** How late messages left (µs after their intended time) since the last call: the simulator's own share of latency. */
  public Histogram takeSendLag(Histogram recycle) {
    return messages.takeSendLag(recycle);
  }

  /** When this verticle first held its share within tolerance, or 0 while ramping. */
  public long rampDoneNanos() {
    return rampDoneNanos;
  }

  /** When this verticle's first connection opened, or 0 before. */
  public long firstOpenNanos() {
    return firstOpenNanos;
  }

  /** Connections this verticle had opened when its ramp was done. */
  public long openedAtRampDone() {
    return openedAtRampDone;
  }

  /** The event loop this verticle runs on. */
  public EventLoop eventLoop() {
    return loop;
  }

  /** This verticle's share of the population. */
  public int share() {
    return share;
  }

  /** Echo latency from the intended send time, in Prometheus buckets. Written on this verticle's loop only. */
  public LatencyBuckets echoLatency() {
    return messages.latencyBuckets();
  }

  /** From TCP connect to the 101 response, in Prometheus buckets. Written on this verticle's loop only. */
  public LatencyBuckets handshakeLatency() {
    return handshakeLatency;
  }

  /** The shared frame handler the handshake hands each upgraded connection to. */
  FrameHandler frameHandler() {
    return frames;
  }

  // ---- the schedule

  private void scheduleTimer() {
    if (stopped) {
      return;
    }
    long next = clock.nominalNanos(wheel.currentTick() + 1) - System.nanoTime();
    timer = loop.schedule(onTimer, Math.max(0, next), TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    try {
      long now = System.nanoTime();
      ledger.lag(now - clock.nominalNanos(wheel.currentTick() + 1)); // how late this timer fired
      int target = clock.tickAt(now);
      while (wheel.currentTick() < target) {
        wheel.advance(onDue);
        budget.refill();
      }
      if (phase != Phase.CLOSE_ALL && now - rampStartNanos >= 0) {
        startHandshakes(now);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "simulator verticle " + index + ": tick failed", e);
    } finally {
      scheduleTimer();
    }
  }

  private void onDue(SimulatedConnection c) {
    int tick = wheel.currentTick();
    switch (c.state()) {
      case WAITING -> {
        if (c.retired || phase == Phase.CLOSE_ALL) {
          move(c, ConnectionState.CLOSED);
        } else {
          ready.add(c);
        }
      }
      case CONNECTING -> {
        // the attempt outlived connectTimeout: before TCP came up, or while waiting for the 101
        boolean tcpUp = c.channel != null && c.channel.isActive();
        failAttempt(c, ErrorCounts.of(tcpUp ? ErrorClass.HANDSHAKE_TIMEOUT : ErrorClass.CONNECT_TIMEOUT), true);
      }
      case OPEN -> {
        if (phase != Phase.HOLD) {
          return; // settling: no more churn or messages
        }
        if (c.closeAtTick <= tick) {
          close(c, CloseCause.CHURN, 1000, "churn");
          return;
        }
        messages.sendDue(c, tick, System.nanoTime());
        wakeOpen(c);
      }
      case CLOSING -> {
        if (c.channel != null) {
          c.channel.close(); // no answer to our close frame in time
        }
      }
      default -> { }
    }
  }

  /** Schedules an open connection's next event: its next message or its churn close. */
  private void wakeOpen(SimulatedConnection c) {
    int next = Math.min(c.closeAtTick, messages.nextSendTick(c));
    if (next != SimulatedConnection.NEVER) {
      wheel.schedule(c, next);
    }
  }

  private void startHandshakes(long now) {
    while (!ready.isEmpty()) {
      SimulatedConnection c = ready.peek();
      if (c.state() != ConnectionState.WAITING || c.retired) {
        ready.poll();
        if (c.retired && c.state() == ConnectionState.WAITING) {
          move(c, ConnectionState.CLOSED);
        }
        continue;
      }
      if (!budget.tryStart()) {
        return;
      }
      ready.poll();
      open(c, now);
    }
  }

  // ---- opening

  private void open(SimulatedConnection c, long now) {
    Target t = TargetDirectory.leastLoaded(directory, now, random);
    if (t == null) {
      // every target is backing off: stay WAITING, and try again after this seat's own backoff
      budget.finished();
      ledger.count(Count.NO_TARGET);
      wheel.schedule(c, wheel.currentTick() + Math.max(1, clock.ticksFloor(backoff(c))));
      return;
    }
    c.target = t;
    c.id = ((long) index << 48) | ++nextId;
    c.echoes.reset();
    c.closeAnswered = false;
    c.closeCause = null;
    move(c, ConnectionState.CONNECTING);
    ledger.count(Count.HANDSHAKES);
    ledger.assign(t.index(), 1);
    wheel.schedule(c, wheel.currentTick() + connectTimeoutTicks);
    connector.connect(c, t, this, (ch, cause) -> onConnectFailed(c, ch, cause));
  }

  private void onConnectFailed(SimulatedConnection c, Channel ch, Throwable cause) {
    if (c.channel != ch || c.state() != ConnectionState.CONNECTING) {
      return; // already timed out or aborted
    }
    ErrorClass kind = ErrorClassifier.classify(cause);
    failAttempt(c, ErrorCounts.of(kind), kind == ErrorClass.CONNECT_REFUSED || kind == ErrorClass.CONNECT_TIMEOUT);
  }

  void onHandshakeRefused(SimulatedConnection c, Channel ch, int status, String retryAfter) {
    if (c.channel != ch || c.state() != ConnectionState.CONNECTING) {
      return;
    }
    directory.refused(c.target, retryAfterNanos(retryAfter), System.nanoTime());
    failAttempt(c, ErrorCounts.handshakeStatus(status), false);
  }

  private static long retryAfterNanos(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return TimeUnit.SECONDS.toNanos(Math.min(3600, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return 0; // an HTTP date: backoff applies instead
    }
  }

  void onHandshakeInvalid(SimulatedConnection c, Channel ch) {
    if (c.channel == ch && c.state() == ConnectionState.CONNECTING) {
      failAttempt(c, ErrorCounts.of(ErrorClass.HANDSHAKE_INVALID), false);
    }
  }

  void onAttemptClosed(SimulatedConnection c, Channel ch) {
    if (c.channel == ch && c.state() == ConnectionState.CONNECTING) {
      failAttempt(c, ErrorCounts.of(ErrorClass.CONNECTION_LOST), true);
    }
  }

  void onAttemptError(SimulatedConnection c, Channel ch, Throwable cause) {
    if (c.channel == ch && c.state() == ConnectionState.CONNECTING) {
      failAttempt(c, ErrorCounts.of(ErrorClassifier.classify(cause)), true);
    }
  }

  /** An attempt failed: count it, back off from the target if it is to blame, and wait to retry. */
  private void failAttempt(SimulatedConnection c, int errorIndex, boolean targetFailed) {
    ledger.error(errorIndex);
    if (targetFailed) {
      directory.failed(c.target, System.nanoTime());
    }
    endAttempt(c);
    if (c.retired || phase == Phase.CLOSE_ALL) {
      checkAllClosed();
      return;
    }
    waitThenReopen(c, backoff(c));
  }

  /** Ends an attempt in flight: frees its handshake slot, closes its channel, back to CLOSED. */
  private void endAttempt(SimulatedConnection c) {
    budget.finished();
    ledger.assign(c.target.index(), -1);
    wheel.cancel(c);
    move(c, ConnectionState.CLOSED);
    Channel ch = c.channel;
    c.channel = null;
    if (ch != null) {
      ch.close();
    }
  }

  private long backoff(SimulatedConnection c) {
    if (c.failures < Byte.MAX_VALUE) {
      c.failures++;
    }
    return ChurnSchedule.backoffNanos(c.failures, backoffInitialNanos, backoffMaxNanos, random);
  }

  void onHandshakeDone(SimulatedConnection c, Channel ch) {
    if (c.channel != ch || c.state() != ConnectionState.CONNECTING) {
      ch.close();
      return;
    }
    ch.attr(FrameHandler.CONNECTION).set(c);
    budget.finished();
    directory.succeeded(c.target);
    c.failures = 0;
    wheel.cancel(c);
    move(c, ConnectionState.OPEN);
    ledger.count(Count.OPENED);
    if (firstOpenNanos == 0) {
      firstOpenNanos = System.nanoTime();
    }
    if (rampDoneNanos == 0 && ledger.held() >= Math.ceil(share * (1 - config.tolerance()))) {
      openedAtRampDone = ledger.get(Count.OPENED);
      rampDoneNanos = System.nanoTime();
    }
    if (c.retired) {
      close(c, CloseCause.REBALANCE, 1000, "rebalance");
      return;
    }
    if (phase == Phase.CLOSE_ALL) {
      close(c, CloseCause.END, 1000, "run over");
      return;
    }
    int tick = wheel.currentTick();
    long life = phase == Phase.HOLD ? churn.lifetimeNanos(random) : ChurnSchedule.FOREVER;
    c.closeAtTick = life == ChurnSchedule.FOREVER ? SimulatedConnection.NEVER : tick + Math.max(1, clock.ticksFloor(life));
    // phase-spread: the first message at a uniformly random tick within one interval
    c.firstSendTick = messages.enabled() ? tick + 1 + random.nextInt(messages.intervalTicks()) : SimulatedConnection.NEVER;
    if (phase == Phase.HOLD) {
      wakeOpen(c);
    }
  }

  // ---- messages

  void onEcho(SimulatedConnection c, Channel ch, ByteBuf content, boolean fin) {
    if (c.channel == ch) {
      messages.onEcho(c, content, fin, System.nanoTime());
    }
  }

  void onForeignFrame(SimulatedConnection c, Channel ch) {
    if (c.channel == ch) {
      ledger.count(Count.MISMATCHED);
    }
  }

  // ---- closing

  /** Starts our side of the close handshake; the server's answering close frame ends it. */
  private void close(SimulatedConnection c, CloseCause cause, int code, String reason) {
    move(c, ConnectionState.CLOSING);
    c.closeCause = cause;
    wheel.schedule(c, wheel.currentTick() + closeTimeoutTicks);
    c.channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /** Cuts the TCP connection without a close frame: a network failure, as the server sees it. */
  private void cut(SimulatedConnection c, CloseCause cause) {
    move(c, ConnectionState.CLOSING);
    c.closeCause = cause;
    c.channel.close();
  }

  void onCloseFrame(SimulatedConnection c, Channel ch, int code, String reason) {
    if (c.channel != ch) {
      return;
    }
    c.closeAnswered = true;
    if (c.state() == ConnectionState.CLOSING) {
      ch.close(); // the answer to our close frame
    } else if (c.state() == ConnectionState.OPEN) {
      // the server closes on its own initiative: count its code, answer, and let the socket close
      int status = code < 0 ? 1005 : code;
      ledger.error(ErrorCounts.closeCode(status));
      move(c, ConnectionState.CLOSING);
      c.closeCause = CloseCause.SERVER;
      wheel.schedule(c, wheel.currentTick() + closeTimeoutTicks);
      ch.writeAndFlush(new CloseWebSocketFrame(code < 0 ? 1000 : code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  void onConnectionError(SimulatedConnection c, Channel ch, Throwable cause) {
    if (c.channel == ch && c.state() == ConnectionState.OPEN) {
      ErrorClass kind = ErrorClassifier.classify(cause);
      if (kind != ErrorClass.CONNECTION_LOST) {
        ledger.error(ErrorCounts.of(kind)); // a reset is counted once, when the channel goes inactive
      }
    }
  }

  void onChannelClosed(SimulatedConnection c, Channel ch) {
    ConnectionState was = c.state();
    if (c.channel != ch || was != ConnectionState.OPEN && was != ConnectionState.CLOSING) {
      return;
    }
    if (was == ConnectionState.OPEN) {
      c.closeCause = CloseCause.LOST; // no close frame: reset, or the server died
      ledger.error(ErrorCounts.of(ErrorClass.CONNECTION_LOST));
      directory.failed(c.target, System.nanoTime());
    }
    // after the server's answer to our close frame nothing more can come: what is missing is lost
    boolean allAnswered = c.closeAnswered && c.closeCause != CloseCause.SERVER && c.closeCause != CloseCause.LOST;
    messages.closeOutstanding(c, allAnswered, System.nanoTime());
    ledger.closed(c.closeCause);
    ledger.assign(c.target.index(), -1);
    wheel.cancel(c);
    move(c, ConnectionState.CLOSED);
    c.channel = null;
    if (c.retired || phase == Phase.CLOSE_ALL) {
      checkAllClosed();
      return;
    }
    long delay = switch (c.closeCause) {
      case CHURN -> churn.reconnectDelayNanos(random);
      case STORM -> ChurnSchedule.uniform(random, stormDelayLow, stormDelayHigh);
      default -> backoff(c); // the server closed or died: jittered backoff, likely to another target
    };
    waitThenReopen(c, delay);
  }

  private void waitThenReopen(SimulatedConnection c, long delayNanos) {
    move(c, ConnectionState.WAITING);
    if (phase == Phase.SETTLE) {
      ready.add(c); // settling: reopen as soon as the budget allows
      return;
    }
    wheel.schedule(c, wheel.currentTick() + Math.max(1, clock.ticksFloor(delayNanos)));
  }

  // ---- share and storm

  private void applyShare(int newShare, long population) {
    if (newShare > seats.length) {
      SimulatedConnection[] grown = Arrays.copyOf(seats, newShare);
      for (int i = seats.length; i < newShare; i++) {
        SimulatedConnection c = new SimulatedConnection(i);
        grown[i] = c;
        ledger.onSeatAdded();
        if (phase != Phase.CLOSE_ALL) {
          move(c, ConnectionState.WAITING);
          ready.add(c);
        }
      }
      seats = grown;
    } else if (newShare < seats.length) {
      for (int i = newShare; i < seats.length; i++) {
        retire(seats[i]);
      }
      seats = Arrays.copyOf(seats, newShare);
    }
    share = newShare;
    double rate = PopulationShare.scaled(config.ramp().perSecond(), newShare, population);
    int inFlight = (int) Math.max(1, Math.round(PopulationShare.scaled(config.ramp().inFlight(), newShare, population)));
    budget.resize(rate, inFlight);
    if (rampDoneNanos == 0 && newShare == 0) {
      rampDoneNanos = System.nanoTime();
    }
  }

  private void retire(SimulatedConnection c) {
    c.retired = true;
    switch (c.state()) {
      case OPEN -> close(c, CloseCause.REBALANCE, 1000, "rebalance");
      case CONNECTING -> endAttempt(c);
      case WAITING -> {
        wheel.cancel(c);
        move(c, ConnectionState.CLOSED);
      }
      case CLOSED -> ledger.onSeatDropped();
      default -> { } // CLOSING: leaves the CLOSED gauge once closed; see move()
    }
  }

  private void applyStorm(Storm storm) {
    if (phase != Phase.HOLD) {
      return;
    }
    stormDelayLow = storm.reconnectDelay()[0].toNanos();
    stormDelayHigh = storm.reconnectDelay()[1].toNanos();
    long open = ledger.held();
    long needed = Math.round(storm.fraction() * open);
    long remaining = open;
    for (SimulatedConnection c : seats) {
      if (c.state() != ConnectionState.OPEN) {
        continue;
      }
      if (ChurnSchedule.pickForStorm(needed, remaining, random)) {
        needed--;
        if (storm.abrupt()) {
          cut(c, CloseCause.STORM);
        } else {
          close(c, CloseCause.STORM, 1001, "storm");
        }
      }
      remaining--;
    }
  }

  private void move(SimulatedConnection c, ConnectionState next) {
    ConnectionState old = c.moveTo(next);
    ledger.onMove(old, next);
    if (next == ConnectionState.CLOSED && c.retired) {
      ledger.onSeatDropped();
    }
  }
}
