package dev.holdfast.node;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * What the node decides a WebSocket upgrade on: the request line and the few headers that matter,
 * reduced to facts ({@code Upgrade} carries the token websocket, how many keys were sent). Filled
 * either by {@link UpgradeRequestParser} straight from the inbound bytes or, on the HTTP codec
 * path (per-message deflate), from Netty's parsed request; {@link HandshakeCheck} and
 * {@link UpgradeGate} judge both the same way.
 *
 * <p>Mutable so that one instance per event loop serves every handshake on it: nothing of it
 * outlives the decision.
 */
final class UpgradeRequest {

  /** Why the request could not be parsed at all; null when it could. */
  enum Malformed {
    /** The request line is longer than {@code HandshakeLimits.MAX_INITIAL_LINE_BYTES}. */
    LINE_TOO_LONG,
    /** The headers are more than {@code HandshakeLimits.MAX_HEADER_BYTES}. */
    HEADERS_TOO_LARGE,
    /** Not an HTTP/1.x request head. */
    BAD_SYNTAX
  }

  Malformed malformed;
  /** HTTP/1.1 (any case, as Netty reads it); false for another well-formed version such as HTTP/1.0. */
  boolean http11;
  /** The method is exactly GET. */
  boolean get;
  /** The request target as sent: path and query. */
  String target;
  /** Some Upgrade header carries the token websocket (any case). */
  boolean upgradeWebSocket;
  /** Some Connection header carries the token upgrade (any case). */
  boolean connectionUpgrade;
  int versionHeaders;
  /** The first Sec-WebSocket-Version header, trimmed, is 13. */
  boolean version13;
  int keyHeaders;
  /** The first Sec-WebSocket-Key header, trimmed; null when none. */
  String key;
  /** The first Origin header; null when none. */
  String origin;
  /** The first Authorization header; null when none. */
  String authorization;
  /** The request announces a body (Content-Length above 0, or Transfer-Encoding): an upgrade has none. */
  boolean body;

  /** Back to an empty request, for the next handshake on this event loop. */
  UpgradeRequest reset() {
    malformed = null;
    http11 = false;
    get = false;
    target = null;
    upgradeWebSocket = false;
    connectionUpgrade = false;
    versionHeaders = 0;
    version13 = false;
    keyHeaders = 0;
    key = null;
    origin = null;
    authorization = null;
    body = false;
    return this;
  }

  /** The facts of a request Netty's HTTP codec and aggregator parsed (per-message deflate path). */
  static UpgradeRequest of(FullHttpRequest req) {
    UpgradeRequest r = new UpgradeRequest();
    DecoderResult decoded = req.decoderResult();
    if (!decoded.isSuccess()) {
      r.malformed = decoded.cause() instanceof TooLongHttpHeaderException ? Malformed.HEADERS_TOO_LARGE
          : decoded.cause() instanceof TooLongHttpLineException ? Malformed.LINE_TOO_LONG : Malformed.BAD_SYNTAX;
      return r;
    }
    HttpHeaders h = req.headers();
    r.http11 = req.protocolVersion().equals(HttpVersion.HTTP_1_1);
    r.get = req.method().equals(HttpMethod.GET);
    r.target = req.uri();
    r.upgradeWebSocket = HandshakeCheck.hasToken(h.getAll(HttpHeaderNames.UPGRADE), "websocket");
    r.connectionUpgrade = HandshakeCheck.hasToken(h.getAll(HttpHeaderNames.CONNECTION), "upgrade");
    List<String> versions = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    r.versionHeaders = versions.size();
    r.version13 = !versions.isEmpty() && versions.get(0).trim().equals(HandshakeCheck.VERSION);
    List<String> keys = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    r.keyHeaders = keys.size();
    r.key = keys.isEmpty() ? null : keys.get(0).trim();
    r.origin = h.get(HttpHeaderNames.ORIGIN);
    r.authorization = h.get(HttpHeaderNames.AUTHORIZATION);
    r.body = req.content().isReadable() || HttpUtil.isTransferEncodingChunked(req);
    return r;
  }
}
