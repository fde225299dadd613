package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.echo.EchoTracker;
import dev.holdfast.simulator.echo.Payload;
import dev.holdfast.simulator.schedule.TickClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Sends each open connection's messages at their intended ticks and checks every echo, for one
 * verticle. Message n of an open is intended at tick {@code firstSendTick + n * interval}; every
 * message whose tick has come is sent, late ones included, and its echo's latency runs from that
 * tick's nominal time. So when the verticle or the server falls behind, the delay is measured for
 * every message it touched, not hidden by sending fewer (no coordinated omission).
 */
final class MessageFlow {

  /** Latency is recorded in microseconds, up to an hour, to three significant digits. */
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final TickClock clock;
  private final int intervalTicks;
  private final int payloadBytes;
  private final long lateAfterNanos;
  private final long lostAfterNanos;
  private final SimulatorLedger ledger;
  private final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_MICROS, 3);
  private final SingleWriterRecorder sendLag = new SingleWriterRecorder(MAX_MICROS, 2);

  /**
   * @param intervalTicks ticks between two messages of a connection; 0 = no messages
   */
  MessageFlow(TickClock clock, int intervalTicks, int payloadBytes, long lateAfterNanos, long lostAfterNanos,
      SimulatorLedger ledger) {
    this.clock = clock;
    this.intervalTicks = intervalTicks;
    this.payloadBytes = payloadBytes;
    this.lateAfterNanos = lateAfterNanos;
    this.lostAfterNanos = lostAfterNanos;
    this.ledger = ledger;
  }

  boolean enabled() {
    return intervalTicks > 0;
  }

  int intervalTicks() {
    return intervalTicks;
  }

  /** The tick the next message of {@code c} is due at. */
  int nextSendTick(SimulatedConnection c) {
    return intervalTicks == 0 ? SimulatedConnection.NEVER : c.firstSendTick + c.echoes.sent() * intervalTicks;
  }

  long intendedNanos(SimulatedConnection c, int seq) {
    return clock.nominalNanos(c.firstSendTick + seq * intervalTicks);
  }

  /** Sends every message of {@code c} due by {@code tick} (at most a window's worth at once). */
  void sendDue(SimulatedConnection c, int tick, long now) {
    if (intervalTicks == 0) {
      return;
    }
    Channel ch = c.channel;
    EchoTracker e = c.echoes;
    int sent = 0;
    while (nextSendTick(c) <= tick && sent < EchoTracker.WINDOW) {
      long intended = intendedNanos(c, e.sent());
      int seq = e.nextSeq();
      ledger.count(Count.LOST, e.takeWrittenOff());
      ByteBuf buf = ch.alloc().buffer(payloadBytes);
      Payload.write(buf, c.id, seq, intended, payloadBytes);
      ch.write(new BinaryWebSocketFrame(buf), ch.voidPromise());
      ledger.count(Count.SENT);
      sendLag.recordValue(micros(now - intended));
      sent++;
    }
    if (sent > 0) {
      ch.flush();
    }
  }

  /** Checks an echo of {@code c}: content, connection, sequence; records its latency if it is a first echo. */
  void onEcho(SimulatedConnection c, ByteBuf content, boolean fin, long now) {
    if (!fin || Payload.check(content, payloadBytes) != Payload.Check.INTACT || Payload.connectionId(content) != c.id) {
      ledger.count(Count.MISMATCHED);
      return;
    }
    int seq = Payload.seq(content);
    if (seq >= 0 && seq < c.echoes.sent() && Payload.intendedNanos(content) != intendedNanos(c, seq)) {
      ledger.count(Count.MISMATCHED);
      return;
    }
    switch (c.echoes.onEcho(seq)) {
      case UNKNOWN -> ledger.count(Count.MISMATCHED);
      case DUPLICATE -> ledger.count(Count.DUPLICATED);
      case REORDERED -> {
        ledger.count(Count.REORDERED);
        record(now - intendedNanos(c, seq));
      }
      case IN_ORDER -> record(now - intendedNanos(c, seq));
      default -> { }
    }
  }

  private void record(long nanos) {
    ledger.count(Count.ECHOED);
    if (nanos > lateAfterNanos) {
      ledger.count(Count.LATE);
    }
    latency.recordValue(micros(nanos));
    ledger.echoLatency().record(nanos); // the same latency in Prometheus buckets
  }

  private static long micros(long nanos) {
    return Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
  }

  /** True while {@code c} still waits for an echo sent less than lostAfter ago. */
  boolean awaitingEcho(SimulatedConnection c, long now) {
    EchoTracker e = c.echoes;
    return e.outstanding() > 0 && intendedNanos(c, e.oldestOutstanding()) + lostAfterNanos - now > 0;
  }

  /**
   * The connection ended: its unanswered messages are lost when {@code allAnswered} (the server
   * answered our close frame, after every echo it owed) or when already overdue (sent more than
   * lostAfter ago); the rest are abandoned.
   */
  void closeOutstanding(SimulatedConnection c, boolean allAnswered, long now) {
    EchoTracker e = c.echoes;
    int overdue = allAnswered ? e.outstanding() : e.outstandingBelow(firstNotOverdue(c, now));
    int all = e.closeOutstanding();
    ledger.count(Count.LOST, overdue);
    ledger.count(Count.ABANDONED, all - overdue);
  }

  /** The lowest sequence number of {@code c} not yet older than lostAfter. */
  private int firstNotOverdue(SimulatedConnection c, long now) {
    if (intervalTicks == 0) {
      return 0;
    }
    long ticksBefore = clock.tickAt(now - lostAfterNanos) - (long) c.firstSendTick;
    return ticksBefore < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, ticksBefore / intervalTicks + 1);
  }

  /** Echo latencies (µs) since the last call. */
  Histogram takeLatency(Histogram recycle) {
    return latency.getIntervalHistogram(recycle);
  }

  /** Send lateness (µs) since the last call: how long after its intended time each message left. */
  Histogram takeSendLag(Histogram recycle) {
    return sendLag.getIntervalHistogram(recycle);
  }
}
