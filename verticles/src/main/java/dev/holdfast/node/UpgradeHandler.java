package dev.holdfast.node;

import dev.holdfast.node.ConnectionLedger.Rejection;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Decides on each HTTP request to the WebSocket port: refuses it (the status {@link HandshakeCheck}
 * names, or 503 with Retry-After when the node is full or draining) or upgrades it, then hands the connection to the
 * shared {@link EchoFrameHandler}. Shared by every connection of one echo verticle instance; after
 * the upgrade nothing of this handler or of the HTTP codec stays with the connection.
 */
@Sharable
final class UpgradeHandler extends ChannelInboundHandlerAdapter {

  private final HandshakeCheck check;
  private final TextStreamValidator textStream;
  private final String retryAfterSeconds;
  private final WebSocketServerHandshakerFactory handshakers;
  private final Admission admission;
  private final ConnectionLedger ledger;
  private final HeldChannels held;
  private final EchoFrameHandler echo;

  UpgradeHandler(NodeConfig config, Admission admission, ConnectionLedger ledger, HeldChannels held,
      EchoFrameHandler echo) {
    this.check = new HandshakeCheck(config.path());
    // with per-message deflate the wire carries compressed bytes: validate after inflation instead
    this.textStream = config.compression() ? null : new TextStreamValidator();
    this.retryAfterSeconds = Long.toString(Math.max(1, (config.retryAfter().toMillis() + 999) / 1000));
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(config.maxFrameBytes())
        .allowExtensions(config.compression())
        .closeOnProtocolViolation(false) // EchoFrameHandler closes, so every close is counted by its code
        .withUTF8Validator(false)        // added below, once, as its own handler
        .build();
    this.handshakers = new WebSocketServerHandshakerFactory(config.path(), null, decoder);
    this.admission = admission;
    this.ledger = ledger;
    this.held = held;
    this.echo = echo;
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
    HandshakeCheck.Refusal bad = check.check(req);
    if (bad != null) {
      refuse(ctx, bad.status(), bad.reason(), bad.why(), bad.headerName(), bad.headerValue());
      return;
    }
    if (admission.draining()) {
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.DRAINING, "node is draining");
      return;
    }
    if (!admission.hasRoom()) {
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.CAPACITY,
          "node holds its maximum of " + admission.maxConnections() + " connections");
      return;
    }
    WebSocketServerHandshaker handshaker = handshakers.newHandshaker(req);
    if (handshaker == null) { // HandshakeCheck lets only version 13 through, which the factory speaks
      refuse(ctx, HttpResponseStatus.UPGRADE_REQUIRED, Rejection.BAD_REQUEST, "unsupported WebSocket version",
          HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), HandshakeCheck.VERSION);
      return;
    }
    // The handshaker swaps the HTTP codec for the WebSocket codec; this handler then gives way to
    // the shared echo handler, with a UTF-8 validator for text frames in front of it.
    handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    ChannelPipeline p = ctx.pipeline();
    p.replace(this, EchoFrameHandler.NAME, echo);
    if (textStream != null) {
      p.addBefore("wsdecoder", TextStreamValidator.NAME, textStream); // sees the raw bytes, so fails fast
    } else {
      p.addBefore(EchoFrameHandler.NAME, "utf8", new Utf8FrameValidator(false)); // after inflation
    }
    held.add(ctx.channel());
    ledger.onOpened();
  }

  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, Rejection reason, String why) {
    refuse(ctx, status, reason, why, null, null);
  }

  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, Rejection reason, String why,
      String headerName, String headerValue) {
    ledger.onRejected(reason);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(why + "\n", CharsetUtil.UTF_8));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
      res.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    if (headerName != null) {
      res.headers().set(headerName, headerValue);
    }
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a connection reset before the upgrade: nothing was held, nothing to count
  }
}
