package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorClassifier;
import dev.holdfast.simulator.errors.ErrorCounts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Runs one connection's opening handshake: sends the upgrade request once TCP is up, and on the
 * response either completes the upgrade (Netty's handshaker swaps the HTTP codec for the WebSocket
 * codec; this handler gives way to the verticle's shared {@link FrameHandler}) or reports the
 * refusal, each to the verticle's {@link ConnectionLife}. Lives only during the handshake: nothing of it stays with an open connection.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "handshake";

  private final ConnectionLife life;
  private final SimulatedConnection connection;
  private final WebSocketClientHandshaker handshaker;
  /** When the TCP connect began: handshake latency runs from here to the 101. */
  private final long startNanos = System.nanoTime();

  HandshakeHandler(ConnectionLife life, SimulatedConnection connection, WebSocketClientHandshaker handshaker) {
    this.life = life;
    this.connection = connection;
    this.handshaker = handshaker;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    handshaker.handshake(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof FullHttpResponse res)) {
        return;
      }
      int status = res.status().code();
      if (status != 101) {
        life.handshakeRefused(connection, ctx.channel(), status,
            retryAfterNanos(res.headers().get(HttpHeaderNames.RETRY_AFTER)));
        return;
      }
      try {
        handshaker.finishHandshake(ctx.channel(), res);
      } catch (RuntimeException invalid) {
        life.attemptFailed(connection, ctx.channel(), ErrorCounts.of(ErrorClass.HANDSHAKE_INVALID), false);
        return;
      }
      life.handshakeDone(System.nanoTime() - startNanos);
      ctx.pipeline().replace(this, FrameHandler.NAME, life.frameHandler());
      life.opened(connection, ctx.channel());
    } finally {
      ReferenceCountUtil.release(msg);
    }
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

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    life.attemptFailed(connection, ctx.channel(), ErrorCounts.of(ErrorClass.CONNECTION_LOST), true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    life.attemptFailed(connection, ctx.channel(), ErrorCounts.of(ErrorClassifier.classify(cause)), true);
  }
}
