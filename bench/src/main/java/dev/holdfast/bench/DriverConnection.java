package dev.holdfast.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One driven WebSocket: handshakes with {@link WebSocketClientHandshaker} (which removes the HTTP
 * codec once upgraded), sends its messages on the {@link EchoSchedule}, checks that each echo is
 * the message it sent, in order, and times it from the intended send time. Touched only by its
 * channel's event loop, apart from the fields the driver sets before connecting. In churn mode the
 * driver closes it and, once closed, opens a new one with the same index (so the same echo phase),
 * which starts sending as soon as its handshake is done.
 */
final class DriverConnection extends ChannelInboundHandlerAdapter {

  /** Where a connection is in its life. */
  enum State { CONNECTING, OPEN, CLOSING, CLOSED }

  private final int index;
  private final int messageBytes;
  private final DriverStats stats;
  private final Semaphore inFlight;
  private final Runnable onSettled;
  private final long handshakeTimeoutMillis;
  /** Where to send once open, for a connection reopened while the others echo; null: {@link #start} says when. */
  private final EchoSchedule startOnOpen;
  /** Run once the channel has closed after a churn close; null for the other closes. */
  private volatile Runnable whenClosed;
  /** Picked for a churn close; read and written by the driver's main thread only. */
  boolean picked;
  private WebSocketClientHandshaker handshaker;
  private ScheduledFuture<?> handshakeTimeout;
  private boolean isSettled;
  private long connectStartNanos;
  private Channel channel;
  private volatile State state = State.CONNECTING;
  private EchoSchedule schedule;
  private long sent;
  private long received;

  /**
   * @param onSettled   run once the handshake phase has ended, opened or failed (after the in-flight slot is released)
   * @param startOnOpen the schedule to send on as soon as the handshake is done, or null
   */
  DriverConnection(int index, int messageBytes, WebSocketClientHandshaker handshaker, DriverStats stats,
      Semaphore inFlight, Runnable onSettled, long handshakeTimeoutMillis, EchoSchedule startOnOpen) {
    this.index = index;
    this.messageBytes = messageBytes;
    this.handshaker = handshaker;
    this.stats = stats;
    this.inFlight = inFlight;
    this.onSettled = onSettled;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.startOnOpen = startOnOpen;
  }

  int index() {
    return index;
  }

  State state() {
    return state;
  }

  /**
   * Called by the driver just before connect(), with the time the connect was wanted (a reopen
   * that waited for an in-flight slot counts the wait in its handshake latency); published to the
   * event loop by the connect itself.
   */
  void connecting(long wantedNanos) {
    connectStartNanos = wantedNanos;
  }

  /** The connect itself failed (refused, timed out, no address or port left). */
  void connectFailed(Throwable cause) {
    settle(DriverStats.classify(cause));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    handshaker.handshake(channel);
    handshakeTimeout = ctx.executor().schedule(() -> {
      if (state == State.CONNECTING) {
        settle("handshake timeout");
        ctx.close();
      }
    }, handshakeTimeoutMillis, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (state == State.CONNECTING) {
        onHandshakeResponse(ctx, (FullHttpResponse) msg);
      } else if (msg instanceof TextWebSocketFrame text) {
        onEcho(text.content());
      } else if (msg instanceof CloseWebSocketFrame close) {
        onClose(ctx, close);
      } else if (msg instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof BinaryWebSocketFrame) {
        stats.error("echo of wrong type (binary)");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHandshakeResponse(ChannelHandlerContext ctx, FullHttpResponse res) {
    int status = res.status().code();
    if (status != 101) {
      settle("handshake status " + status);
      ctx.close();
      return;
    }
    try {
      handshaker.finishHandshake(ctx.channel(), res);
    } catch (RuntimeException e) {
      settle("handshake invalid response");
      ctx.close();
      return;
    }
    stats.handshakeMicros.recordValue(Math.min((System.nanoTime() - connectStartNanos) / 1000, 60_000_000L));
    settle(null);
  }

  /** Ends the handshake phase of this connection exactly once: a success, or an error of this kind. */
  private void settle(String error) {
    if (isSettled) {
      return;
    }
    isSettled = true;
    handshaker = null; // nothing of the handshake stays with the connection
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
      handshakeTimeout = null;
    }
    if (error == null) {
      state = State.OPEN;
      stats.open.incrementAndGet();
      stats.opened.increment();
      if (startOnOpen != null) { // a reopen joins its phase at the next slot from now
        begin(startOnOpen, startOnOpen.firstSeqFrom(index, System.nanoTime()));
      }
    } else {
      state = State.CLOSED;
      stats.failed.increment();
      stats.error(error);
    }
    inFlight.release();
    onSettled.run();
  }

  /** Starts sending on this schedule from its first message (from any thread). */
  void start(EchoSchedule s) {
    channel.eventLoop().execute(() -> begin(s, 0));
  }

  /** On the event loop: sends message {@code firstSeq} of the schedule and the ones after it. */
  private void begin(EchoSchedule s, long firstSeq) {
    schedule = s;
    sent = firstSeq;
    received = firstSeq;
    scheduleSend(firstSeq);
  }

  private void scheduleSend(long seq) {
    long due = schedule.due(index, seq);
    if (due < schedule.endNanos()) {
      channel.eventLoop().schedule(this::send, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
  }

  private void send() {
    if (state != State.OPEN || stats.sendingEnded) {
      return;
    }
    ByteBuf buf = channel.alloc().buffer(messageBytes);
    buf.writeBytes(message(index, sent, messageBytes));
    sent++;
    stats.sent.increment();
    channel.writeAndFlush(new TextWebSocketFrame(buf));
    scheduleSend(sent);
  }

  private void onEcho(ByteBuf content) {
    long seq = received++;
    byte[] got = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), got);
    if (seq >= sent || !Arrays.equals(got, message(index, seq, messageBytes))) {
      stats.error("echo wrong content, order or duplicate");
    } else if (stats.recording) {
      long micros = (System.nanoTime() - schedule.due(index, seq)) / 1000;
      stats.echoMicros.recordValue(Math.max(0, Math.min(micros, 60_000_000L)));
    }
    stats.received.increment(); // after recording: the driver takes the histogram once all echoes are counted
  }

  /** A message that names its connection and sequence number, padded to its size. */
  static byte[] message(int index, long seq, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) '.');
    byte[] head = ("c" + index + " s" + seq + " ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, Math.min(head.length, size));
    return b;
  }

  /** Starts the close handshake with 1000 (from any thread); the server answers and closes the TCP connection. */
  void close() {
    channel.eventLoop().execute(() -> {
      if (state == State.OPEN) {
        state = State.CLOSING;
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done"));
      }
    });
  }

  /**
   * A churn close (from any thread): the close handshake with 1000, then {@code then} once the
   * channel has closed; a close the server has not finished within {@code timeoutMillis} is an
   * error and is cut.
   */
  void closeThen(Runnable then, long timeoutMillis) {
    whenClosed = then;
    channel.eventLoop().execute(() -> {
      if (state == State.CLOSED) { // dropped before this ran: channelInactive saw no hook yet
        Runnable hook = whenClosed;
        whenClosed = null;
        if (hook != null) {
          hook.run();
        }
        return;
      }
      if (state != State.OPEN) {
        return; // still connecting or already closing: channelInactive runs the hook
      }
      state = State.CLOSING;
      channel.writeAndFlush(new CloseWebSocketFrame(1000, "churn"));
      channel.eventLoop().schedule(() -> {
        if (channel.isActive()) {
          stats.error("close handshake timeout");
          channel.close();
        }
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    });
  }

  /** Cuts the connection without a close handshake (a close that did not finish in time). */
  void abort() {
    if (channel != null) {
      channel.close();
    }
  }

  private void onClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    if (state == State.OPEN) { // the server began it: during a hold that is an error
      stats.error("closed by server with " + close.statusCode());
      state = State.CLOSING;
      ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""));
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.CONNECTING) {
      settle("closed during handshake");
    } else if (state == State.OPEN || state == State.CLOSING) {
      if (state == State.OPEN) {
        stats.error("dropped without a close frame");
      }
      stats.open.decrementAndGet();
    }
    state = State.CLOSED;
    Runnable then = whenClosed;
    if (then != null) {
      whenClosed = null;
      then.run();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.CONNECTING) {
      settle(DriverStats.classify(cause));
    } else if (state == State.OPEN) {
      stats.error(DriverStats.classify(cause));
      state = State.CLOSING; // counted here, so not again as a drop when the channel goes inactive
    }
    ctx.close();
  }
}
