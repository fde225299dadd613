package dev.holdfast.simulator.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.ReferenceCountUtil;

/**
 * Runs one connection's opening handshake: sends the upgrade request once TCP is up, and on the
 * response either completes the upgrade (Netty's handshaker swaps the HTTP codec for the WebSocket
 * codec; this handler gives way to the verticle's shared {@link FrameHandler}) or reports the
 * refusal. Lives only during the handshake: nothing of it stays with an open connection.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "handshake";

  private final SimulatorVerticle verticle;
  private final SimulatedConnection connection;
  private final WebSocketClientHandshaker handshaker;
  /** When the TCP connect began: handshake latency runs from here to the 101. */
  private final long startNanos = System.nanoTime();

  HandshakeHandler(SimulatorVerticle verticle, SimulatedConnection connection, WebSocketClientHandshaker handshaker) {
    this.verticle = verticle;
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
        verticle.onHandshakeRefused(connection, ctx.channel(), status, res.headers().get(HttpHeaderNames.RETRY_AFTER));
        return;
      }
      try {
        handshaker.finishHandshake(ctx.channel(), res);
      } catch (RuntimeException invalid) {
        verticle.onHandshakeInvalid(connection, ctx.channel());
        return;
      }
      verticle.handshakeLatency().record(System.nanoTime() - startNanos);
      ctx.pipeline().replace(this, FrameHandler.NAME, verticle.frameHandler());
      verticle.onHandshakeDone(connection, ctx.channel());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    verticle.onAttemptClosed(connection, ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    verticle.onAttemptError(connection, ctx.channel(), cause);
  }
}
