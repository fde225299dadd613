package dev.holdfast.node;

import dev.holdfast.node.HandshakeCheck.Refusal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;

/**
 * The upgrade path when per-message deflate is on: Netty's HTTP codec and aggregator parse the
 * request, {@link UpgradeGate} decides exactly as for {@link InPlaceUpgradeHandler}, and Netty's
 * handshaker answers and swaps the HTTP codec for the WebSocket codec (with the deflate extension
 * that {@code WebSocketServerCompressionHandler} negotiated). This handler then gives way to the
 * shared {@link EchoFrameHandler}; after the upgrade nothing of it or of the HTTP codec stays with
 * the connection. Shared by every connection of one echo verticle instance.
 */
@Sharable
final class UpgradeHandler extends ChannelInboundHandlerAdapter {

  /** The name of the HTTP codec in the pipeline, which refusals are written past. */
  static final String HTTP_CODEC = "http";

  private final UpgradeGate gate;
  private final WebSocketServerHandshakerFactory handshakers;
  private final ConnectionSweep sweep;
  private final EchoFrameHandler echo;

  UpgradeHandler(NodeConfig config, UpgradeGate gate, ConnectionSweep sweep, EchoFrameHandler echo) {
    this.gate = gate;
    this.handshakers = new WebSocketServerHandshakerFactory(config.path(), null,
        InPlaceUpgradeHandler.frameDecoderConfig(config));
    this.sweep = sweep;
    this.echo = echo;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    sweep.onAccepted(ctx.channel()); // the handshake deadline starts with the connection
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      upgradeOrRefuse(ctx, req);
    } finally {
      req.release();
    }
  }

  private void upgradeOrRefuse(ChannelHandlerContext ctx, FullHttpRequest req) {
    Refusal bad = gate.admit(UpgradeRequest.of(req), ctx.channel());
    if (bad != null) {
      // the refusal is whole HTTP bytes: written past the codec, straight to the socket (or TLS)
      ctx.pipeline().context(HTTP_CODEC).writeAndFlush(gate.response(bad, ctx.alloc()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // never null: HandshakeCheck let only version 13 through, which the factory speaks
    WebSocketServerHandshaker handshaker = handshakers.newHandshaker(req);
    // The handshaker swaps the HTTP codec for the WebSocket codec; this handler then gives way to
    // the shared echo handler, with a UTF-8 validator after inflation in front of it.
    handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    ChannelPipeline p = ctx.pipeline();
    p.replace(this, EchoFrameHandler.NAME, echo);
    p.addBefore(EchoFrameHandler.NAME, "utf8", new Utf8FrameValidator(false));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sweep.onHandshakeEnded(ctx.channel()); // refused or gone before the upgrade
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a connection reset before the upgrade: nothing was held, nothing to count
  }
}
