package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.errors.ErrorClass;
import dev.holdfast.simulator.errors.ErrorClassifier;
import dev.holdfast.simulator.errors.ErrorCounts;
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
 * Hands every frame of an open connection to its verticle's {@link ConnectionLife}: echoes to be checked, close frames,
 * and the end of the socket; answers pings. One instance serves all the open connections of a
 * verticle, finding each one's {@link SimulatedConnection} in a channel attribute.
 */
@Sharable
final class FrameHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "frames";
  static final AttributeKey<SimulatedConnection> CONNECTION = AttributeKey.valueOf("holdfast.sim.connection");

  private final ConnectionLife life;
  private final MessageFlow messages;
  private final SimulatorLedger ledger;

  FrameHandler(ConnectionLife life, MessageFlow messages, SimulatorLedger ledger) {
    this.life = life;
    this.messages = messages;
    this.ledger = ledger;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel ch = ctx.channel();
    SimulatedConnection c = ch.attr(CONNECTION).get();
    try {
      if (c == null) {
        return;
      }
      if (c.channel != ch) {
        return; // a channel its connection has left behind
      }
      if (msg instanceof BinaryWebSocketFrame frame) {
        messages.onEcho(c, frame.content(), frame.isFinalFragment(), System.nanoTime());
      } else if (msg instanceof CloseWebSocketFrame close) {
        life.closeFrame(c, ch, close.statusCode(), close.reasonText());
      } else if (msg instanceof PingWebSocketFrame ping) {
        ch.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ch.voidPromise());
      } else if (!(msg instanceof PongWebSocketFrame)) {
        ledger.count(SimulatorLedger.Count.MISMATCHED); // text or continuation: not what this simulator sends
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    SimulatedConnection c = ctx.channel().attr(CONNECTION).get();
    if (c != null) {
      life.channelClosed(c, ctx.channel());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    SimulatedConnection c = ctx.channel().attr(CONNECTION).get();
    if (c != null && c.channel == ctx.channel() && c.state() == ConnectionState.OPEN) {
      ErrorClass kind = ErrorClassifier.classify(cause);
      if (kind != ErrorClass.CONNECTION_LOST) {
        ledger.error(ErrorCounts.of(kind)); // a reset is counted once, when the channel goes inactive
      }
    }
    ctx.close();
  }
}
