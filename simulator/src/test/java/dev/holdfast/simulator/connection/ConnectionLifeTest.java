package dev.holdfast.simulator.connection;

import static dev.holdfast.simulator.connection.ConnectionState.CLOSED;
import static dev.holdfast.simulator.connection.ConnectionState.CLOSING;
import static dev.holdfast.simulator.connection.ConnectionState.CONNECTING;
import static dev.holdfast.simulator.connection.ConnectionState.OPEN;
import static dev.holdfast.simulator.connection.ConnectionState.RETIRED;
import static dev.holdfast.simulator.connection.ConnectionState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorCounts;
import dev.holdfast.simulator.schedule.HandshakeBudget;
import dev.holdfast.simulator.schedule.TickClock;
import dev.holdfast.simulator.schedule.TimingWheel;
import dev.holdfast.simulator.target.StaticTargetDirectory;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The connection state machine driven through event sequences, without a network: the dialer
 * hands out embedded channels, time is the wheel's ticks, and the server's part (the 101, the
 * answering close frame) is played by the test.
 */
class ConnectionLifeTest {

  private static final long TICK = Duration.ofMillis(10).toNanos();

  private final SimulatorConfig config = SimulatorConfig.fromJson(new JsonObject("""
      {"population": 1, "churn": {"fraction": 1, "period": "1s", "reconnectDelay": ["10ms", "20ms"]},
       "messages": {"interval": "0s"}, "ramp": {"perSecond": 100000, "inFlight": 100},
       "backoff": {"initial": "10ms", "max": "20ms"}, "connectTimeout": "1s", "closeTimeout": "1s",
       "cluster": {"enabled": false}}"""));
  private final TickClock clock = new TickClock(0, TICK);
  private final TimingWheel<SimulatedConnection> wheel = new TimingWheel<>(64, 0);
  private final HandshakeBudget budget = new HandshakeBudget(0, 1, TICK);
  private final SimulatorLedger ledger = new SimulatorLedger();
  private final LifeWiring wiring = LifeWiring.of(config, 0, clock, wheel, budget, ledger,
      new StaticTargetDirectory(List.of(URI.create("ws://127.0.0.1:1/ws")), t -> 0, TICK, 2 * TICK),
      new MessageFlow(clock, 0, 64, TICK, TICK, ledger), new SplittableRandom(7), new RampTracker(0.05),
      (c, target, life) -> c.channel = new EmbeddedChannel());
  private final ConnectionLife life = new ConnectionLife(wiring);
  private final SeatPool seats = new SeatPool(life, wiring, config.ramp());
  private int tick;

  @Test
  void openFailRetryOpenChurnCloseReopen() {
    SimulatedConnection c = oneSeat();
    advanceUntil(c, s -> s == CONNECTING);
    assertThat(budget.inFlight()).isEqualTo(1);

    Channel first = c.channel;
    life.attemptFailed(c, first, ErrorCounts.of(ErrorClass.HANDSHAKE_INVALID), false); // one move, back to WAITING
    assertThat(c.state()).isEqualTo(WAITING);
    assertThat(first.isOpen()).isFalse();
    assertThat(budget.inFlight()).isZero();
    assertThat(ledger.errors(ErrorCounts.of(ErrorClass.HANDSHAKE_INVALID))).isEqualTo(1);

    advanceUntil(c, s -> s == CONNECTING); // the retry, after its backoff
    assertThat(ledger.get(Count.HANDSHAKES)).isEqualTo(2);
    EmbeddedChannel ch = upgrade(c);
    assertThat(c.state()).isEqualTo(OPEN);
    assertThat(budget.inFlight()).isZero();
    assertThat(ledger.held()).isEqualTo(1);

    advanceUntil(c, s -> s == CLOSING); // churn closes it at the end of its lifetime
    CloseWebSocketFrame sent = ch.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(1000);
    sent.release();
    life.closeFrame(c, ch, 1000, "churn"); // the server's answer ends it: one move to WAITING
    assertThat(c.state()).isEqualTo(WAITING);
    assertThat(ledger.closedBy(CloseCause.CHURN)).isEqualTo(1);
    assertThat(ledger.held()).isZero();

    advanceUntil(c, s -> s == CONNECTING); // reopened after the churn delay
    assertThat(ledger.get(Count.HANDSHAKES)).isEqualTo(3);
    assertThat(ledger.inState(CONNECTING)).isEqualTo(1);
    assertThat(ledger.inState(WAITING) + ledger.inState(OPEN) + ledger.inState(CLOSING)).isZero();
    assertThat(ledger.get(Count.ILLEGAL_TRANSITIONS)).isZero();
  }

  @Test
  void retiringWhileConnectingEndsTheAttemptAndNeverReopens() {
    SimulatedConnection c = oneSeat();
    advanceUntil(c, s -> s == CONNECTING);
    Channel ch = c.channel;
    seats.resize(0, 1);
    assertThat(c.state()).isEqualTo(RETIRED);
    assertThat(ch.isOpen()).isFalse();
    assertThat(budget.inFlight()).isZero();
    life.opened(c, ch); // the 101 of the abandoned attempt arrives late: no event for this connection
    advance(200);
    assertThat(c.state()).isEqualTo(RETIRED);
    assertThat(ledger.get(Count.HANDSHAKES)).isEqualTo(1);
    assertThat(ledger.inState(RETIRED)).isEqualTo(1);
    assertThat(ledger.inState(CONNECTING) + ledger.inState(WAITING)).isZero();
    assertThat(ledger.get(Count.ILLEGAL_TRANSITIONS)).isZero();
  }

  @Test
  void retiringWhileOpenClosesWithRebalanceAndEndsRetired() {
    SimulatedConnection c = oneSeat();
    advanceUntil(c, s -> s == CONNECTING);
    EmbeddedChannel ch = upgrade(c);
    seats.resize(0, 1);
    assertThat(c.state()).isEqualTo(CLOSING);
    CloseWebSocketFrame sent = ch.readOutbound();
    assertThat(sent.reasonText()).isEqualTo("rebalance");
    sent.release();
    life.closeFrame(c, ch, 1000, "rebalance");
    assertThat(c.state()).isEqualTo(RETIRED);
    assertThat(ledger.closedBy(CloseCause.REBALANCE)).isEqualTo(1);
    advance(200);
    assertThat(ledger.get(Count.HANDSHAKES)).isEqualTo(1);
    assertThat(ledger.get(Count.ILLEGAL_TRANSITIONS)).isZero();
  }

  @Test
  void theEndOfTheRunClosesEveryStateAndCompletesOnceAllAreClosed() {
    seats.resize(3, 3);
    SimulatedConnection[] s = seats.seats();
    advanceUntil(s[0], st -> st == CONNECTING);
    EmbeddedChannel open = upgrade(s[0]);
    life.attemptFailed(s[1], s[1].channel, ErrorCounts.of(ErrorClass.HANDSHAKE_INVALID), false); // WAITING
    Future<Void> closed = seats.closeAll();
    assertThat(s[1].state()).isEqualTo(CLOSED);
    assertThat(s[2].state()).isEqualTo(CLOSED); // was CONNECTING
    assertThat(s[0].state()).isEqualTo(CLOSING);
    assertThat(closed.isComplete()).isFalse();
    life.closeFrame(s[0], open, 1000, "run over");
    assertThat(s[0].state()).isEqualTo(CLOSED);
    assertThat(closed.succeeded()).isTrue();
    assertThat(budget.inFlight()).isZero();
    assertThat(ledger.closedBy(CloseCause.END)).isEqualTo(1);
    assertThat(ledger.get(Count.ILLEGAL_TRANSITIONS)).isZero();
  }

  @Test
  void anEventTheStateDoesNotAcceptIsRefusedAndCounted() {
    SimulatedConnection c = oneSeat();
    advanceUntil(c, s -> s == CONNECTING);
    EmbeddedChannel ch = upgrade(c);
    life.handshakeRefused(c, ch, 503, 0); // a refusal of the upgrade on a connection already open
    assertThat(c.state()).isEqualTo(OPEN);
    assertThat(ledger.get(Count.ILLEGAL_TRANSITIONS)).isEqualTo(1);
    assertThat(ledger.errors(ErrorCounts.handshakeStatus(503))).isZero();
    assertThat(ledger.held()).isEqualTo(1);
  }

  @Test
  void theTableAllowsNoWayBackFromTheEnd() {
    for (ConnectionState to : ConnectionState.values()) {
      assertThat(RETIRED.canMoveTo(to)).as("RETIRED -> " + to).isFalse();
      assertThat(CLOSED.canMoveTo(to)).as("CLOSED -> " + to).isEqualTo(to == RETIRED);
    }
    assertThat(WAITING.canMoveTo(OPEN)).isFalse();
    assertThat(CONNECTING.canMoveTo(WAITING)).isTrue(); // a failure is one move
  }

  private SimulatedConnection oneSeat() {
    seats.resize(1, 1);
    return seats.seats()[0];
  }

  /** The server's 101: the handshake handler would now hand the channel to the shared frame handler. */
  private EmbeddedChannel upgrade(SimulatedConnection c) {
    EmbeddedChannel ch = (EmbeddedChannel) c.channel;
    ch.pipeline().addLast(life.frameHandler());
    life.opened(c, ch);
    return ch;
  }

  private void advance(int ticks) {
    for (int i = 0; i < ticks; i++) {
      tick++;
      life.advanceTo(tick);
      life.startReady(System.nanoTime());
    }
  }

  /** Advances tick by tick until {@code c}'s state matches, at most ten simulated minutes. */
  private void advanceUntil(SimulatedConnection c, Predicate<ConnectionState> until) {
    for (int i = 0; i < 60_000 && !until.test(c.state()); i++) {
      advance(1);
    }
    assertThat(c.state()).matches(until, "reached in time");
  }
}
