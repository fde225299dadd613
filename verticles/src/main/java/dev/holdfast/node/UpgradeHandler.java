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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
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
  private final Set<String> origins;
  private final HandshakeToken tokens;
  private final String tokenParameter;
  private final AddressCap addressCap;
  private final TextStreamValidator textStream;
  private final String retryAfterSeconds;
  private final WebSocketServerHandshakerFactory handshakers;
  private final Admission admission;
  private final ConnectionLedger ledger;
  private final HeldChannels held;
  private final EchoFrameHandler echo;
  private final ConnectionSweep sweep;

  UpgradeHandler(NodeConfig config, Admission admission, ConnectionLedger ledger, HeldChannels held,
      ConnectionSweep sweep, EchoFrameHandler echo) {
    this.sweep = sweep;
    this.check = new HandshakeCheck(config.path());
    this.origins = config.allowedOrigins().stream().map(UpgradeHandler::lowerCase).collect(Collectors.toSet());
    this.tokens = config.tokenSecret() == null ? null
        : new HandshakeToken(config.tokenSecret().getBytes(StandardCharsets.UTF_8), config.tokenAudience());
    this.tokenParameter = config.tokenQueryParameter();
    this.addressCap = config.maxConnectionsPerAddress() == 0 ? null
        : admission.addressCap(config.maxConnectionsPerAddress());
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
    if (!origins.isEmpty() && !origins.contains(lowerCase(req.headers().get(HttpHeaderNames.ORIGIN)))) {
      refuse(ctx, HttpResponseStatus.FORBIDDEN, Rejection.ORIGIN, "origin not allowed");
      return;
    }
    HandshakeToken.Claims claims = null;
    if (tokens != null) {
      try {
        claims = tokens.verify(token(req), System.currentTimeMillis() / 1000);
      } catch (HandshakeToken.Refused e) {
        refuse(ctx, HttpResponseStatus.UNAUTHORIZED, Rejection.UNAUTHORIZED, e.getMessage(),
            HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer");
        return;
      }
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
    InetAddress address = addressCap == null ? null : ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (address != null && !addressCap.tryAcquire(address)) {
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.ADDRESS_CAP,
          "this address holds its maximum of " + addressCap.maxPerAddress() + " connections");
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
    sweep.onUpgraded(ctx.channel());
    if (claims != null) {
      sweep.onAuthenticated(ctx.channel(), claims.expiresAt());
    }
    ledger.onOpened();
  }

  /** The token from the query parameter, else from {@code Authorization: Bearer}; null when neither. */
  private String token(FullHttpRequest req) {
    List<String> fromQuery = new QueryStringDecoder(req.uri()).parameters().get(tokenParameter);
    if (fromQuery != null && !fromQuery.isEmpty()) {
      return fromQuery.get(0);
    }
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  private static String lowerCase(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
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
  public void channelInactive(ChannelHandlerContext ctx) {
    sweep.onHandshakeEnded(ctx.channel()); // refused or gone before the upgrade
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a connection reset before the upgrade: nothing was held, nothing to count
  }
}
