package dev.holdfast.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo server that misbehaves on purpose, to prove the simulator catches it. It reads
 * the sequence number of each simulated message (bytes 8-11 of the payload) and applies its
 * {@link Fault} to message {@link #VICTIM} of every connection, or, for a stall, to every echo
 * during a window.
 */
final class FaultyEchoServer implements AutoCloseable {

  /** The message of each connection the fault hits. */
  static final int VICTIM = 5;

  /** What goes wrong. */
  enum Fault {
    /** Message 5 is never echoed. */
    DROP,
    /** Message 5 is echoed twice. */
    DUPLICATE,
    /** Message 5 is held back for {@code delayMillis}, so later echoes overtake it. */
    DELAY,
    /** One byte of message 5's echo is flipped. */
    CORRUPT,
    /** From {@code stallAfterMillis} after the first echo, no echo leaves for {@code delayMillis}; then all do, in order. */
    STALL
  }

  private final Vertx vertx = Vertx.vertx();
  private final Fault fault;
  private final long delayMillis;
  private final long stallAfterMillis;
  private volatile long stallStart = -1;
  private HttpServer server;

  FaultyEchoServer(Fault fault, long delayMillis, long stallAfterMillis) {
    this.fault = fault;
    this.delayMillis = delayMillis;
    this.stallAfterMillis = stallAfterMillis;
  }

  /** Starts on a free loopback port; returns the WebSocket URL. */
  String start() throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(this::serve)
        .listen().await(10, TimeUnit.SECONDS);
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  private void serve(ServerWebSocket ws) {
    ArrayDeque<Buffer> stalled = new ArrayDeque<>();
    ws.binaryMessageHandler(msg -> {
      long now = System.nanoTime();
      if (fault == Fault.STALL) {
        stall(ws, msg, stalled, now);
        return;
      }
      int seq = msg.length() >= 12 ? msg.getInt(8) : -1;
      if (seq != VICTIM) {
        ws.writeBinaryMessage(msg);
        return;
      }
      switch (fault) {
        case DROP -> { }
        case DUPLICATE -> {
          ws.writeBinaryMessage(msg);
          ws.writeBinaryMessage(msg.copy());
        }
        case DELAY -> vertx.setTimer(delayMillis, t -> ws.writeBinaryMessage(msg));
        case CORRUPT -> {
          Buffer bad = msg.copy();
          bad.setByte(bad.length() - 1, (byte) (bad.getByte(bad.length() - 1) ^ 0x5A));
          ws.writeBinaryMessage(bad);
        }
        default -> ws.writeBinaryMessage(msg);
      }
    });
  }

  private void stall(ServerWebSocket ws, Buffer msg, ArrayDeque<Buffer> stalled, long now) {
    synchronized (this) {
      if (stallStart < 0) {
        stallStart = now + TimeUnit.MILLISECONDS.toNanos(stallAfterMillis);
      }
    }
    long end = stallStart + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    if (now < stallStart || now >= end && stalled.isEmpty()) {
      ws.writeBinaryMessage(msg);
      return;
    }
    if (stalled.isEmpty()) {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - now)), t -> {
        while (!stalled.isEmpty()) {
          ws.writeBinaryMessage(stalled.poll());
        }
      });
    }
    stalled.add(msg);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
