package dev.holdfast.simulator.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Hands every frame of an open connection to its verticle: echoes to be checked, close frames,
 * and the end of the socket; answers pings. One instance serves all the open connections of a
 * verticle, finding each one's {@link SimulatedConnection} in a channel attribute.
 */
@Sharable
final class FrameHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "frames";
  static final AttributeKey<SimulatedConnection> CONNECTION = AttributeKey.valueOf("holdfast.sim.connection");

  private final SimulatorVerticle verticle;

  FrameHandler(SimulatorVerticle verticle) {
    this.verticle = verticle;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel ch = ctx.channel();
    SimulatedConnection c = ch.attr(CONNECTION).get();
    try {
      if (c == null) {
        return;
      }
      if (msg instanceof BinaryWebSocketFrame frame) {
        verticle.onEcho(c, ch, frame.content(), frame.isFinalFragment());
      } else if (msg instanceof CloseWebSocketFrame close) {
        verticle.onCloseFrame(c, ch, close.statusCode(), close.reasonText());
      } else if (msg instanceof PingWebSocketFrame ping) {
        ch.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ch.voidPromise());
      } else if (!(msg instanceof PongWebSocketFrame)) {
        verticle.onForeignFrame(c, ch); // text or continuation: not what this simulator sends
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    SimulatedConnection c = ctx.channel().attr(CONNECTION).get();
    if (c != null) {
      verticle.onChannelClosed(c, ctx.channel());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    SimulatedConnection c = ctx.channel().attr(CONNECTION).get();
    if (c != null) {
      verticle.onConnectionError(c, ctx.channel(), cause);
    }
    ctx.close();
  }
}
