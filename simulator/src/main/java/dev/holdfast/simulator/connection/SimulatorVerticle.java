package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.config.StormOptions;
import dev.holdfast.simulator.schedule.HandshakeBudget;
import dev.holdfast.simulator.schedule.TickClock;
import dev.holdfast.simulator.schedule.TimingWheel;
import dev.holdfast.simulator.target.TargetDirectory;
import dev.holdfast.vertx.VertxInternals;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * One simulator verticle: holds its share of the population on its own event loop. It runs the
 * tick loop and takes the node's commands onto its loop; its {@link SeatPool} holds the seats,
 * its {@link ConnectionLife} moves each connection through the {@link ConnectionState}s.
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
 * event loop; other threads only read the {@link SimulatorLedger}, the histograms and the ramp.
 */
public final class SimulatorVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(SimulatorVerticle.class.getName());
  private static final int WHEEL_BUCKETS = 1024;

  private final SimulatorConfig config;
  private final int index;
  private final int instances;
  private final TickClock clock;
  private final long rampStartNanos;
  private final TargetDirectory directory;
  private final SimulatorLedger ledger = new SimulatorLedger();
  private final MessageFlow messages;
  private final RampTracker ramp;
  private final SplittableRandom random;
  private final Runnable onTimer = this::onTimer;

  private EventLoop loop;
  private TimingWheel<SimulatedConnection> wheel;
  private ConnectionLife life;
  private SeatPool seats;
  private ScheduledFuture<?> timer;
  private boolean stopped;

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
    this.rampStartNanos = runStartNanos + config.ramp().delay().toNanos();
    this.directory = directory;
    this.random = new SplittableRandom(seed);
    this.ramp = new RampTracker(config.tolerance());
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
    ClientConnector connector = new ClientConnector(loop, VertxInternals.clientChannelFactory(vertx),
        vertx.isNativeTransportEnabled(), sources, instances, index,
        ClientSecurity.of(config));
    wheel = new TimingWheel<>(WHEEL_BUCKETS, clock.tickAt(System.nanoTime()));
    HandshakeBudget budget = new HandshakeBudget(0, 1, clock.tickNanos());
    LifeWiring wiring = LifeWiring.of(config, index, clock, wheel, budget, ledger, directory, messages, random, ramp,
        connector::connect);
    life = new ConnectionLife(wiring);
    seats = new SeatPool(life, wiring, config.ramp());
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
      for (SimulatedConnection c : seats.seats()) {
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
    loop.execute(() -> seats.resize((int) newShare, population));
  }

  /** Drops a fraction of the held connections at once (storm mode). */
  public void storm(StormOptions storm) {
    loop.execute(() -> seats.storm(storm));
  }

  /** Stops churn and messages; reopens whatever waits, so the final counts see a full population. */
  public void settle() {
    loop.execute(seats::settle);
  }

  /** True when nothing is in flight any more: see {@link SeatPool#isSettled}. */
  public Future<Boolean> settled() {
    Promise<Boolean> p = Promise.promise();
    loop.execute(() -> p.complete(seats.isSettled(System.nanoTime())));
    return p.future();
  }

  /** Closes every connection (1000) and completes when all are closed, or cut off after closeTimeout. */
  public Future<Void> closeAll() {
    Promise<Void> p = Promise.promise();
    loop.execute(() -> seats.closeAll().onComplete(p));
    return p.future();
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
    RampTracker.Done d = ramp.done();
    return d == null ? 0 : d.atNanos();
  }

  /** When this verticle's first connection opened, or 0 before (known once the ramp is done). */
  public long firstOpenNanos() {
    RampTracker.Done d = ramp.done();
    return d == null ? 0 : d.firstOpenNanos();
  }

  /** Connections this verticle had opened when its ramp was done. */
  public long openedAtRampDone() {
    RampTracker.Done d = ramp.done();
    return d == null ? 0 : d.openedByThen();
  }

  /** The event loop this verticle runs on. */
  public EventLoop eventLoop() {
    return loop;
  }

  // ---- the tick loop

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
      life.advanceTo(clock.tickAt(now));
      if (now - rampStartNanos >= 0) {
        life.startReady(now);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "simulator verticle " + index + ": tick failed", e);
    } finally {
      scheduleTimer();
    }
  }
}
