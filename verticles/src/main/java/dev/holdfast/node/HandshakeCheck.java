package dev.holdfast.node;

import dev.holdfast.node.ConnectionLedger.Rejection;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The strict checks of a WebSocket opening handshake (RFC 6455, 4.2.1) before anything is
 * upgraded: each bad request gets the HTTP status that says what is wrong, instead of a dropped
 * connection. Pure logic on the parsed request, tested without a network.
 */
final class HandshakeCheck {

  /** The only WebSocket protocol version the node speaks (RFC 6455). */
  static final String VERSION = "13";

  /** Why a request is refused: the status, the counted reason, a line for the body, and one extra header. */
  record Refusal(HttpResponseStatus status, Rejection reason, String why, String headerName, String headerValue) {
    Refusal(HttpResponseStatus status, String why) {
      this(status, Rejection.BAD_REQUEST, why, null, null);
    }
  }

  private final String path;

  HandshakeCheck(String path) {
    this.path = path;
  }

  /** The refusal for this request, or null when it is a well-formed upgrade to the node's path. */
  Refusal check(HttpRequest req) {
    DecoderResult decoded = req.decoderResult();
    if (!decoded.isSuccess()) {
      if (decoded.cause() instanceof TooLongHttpHeaderException) {
        return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
      }
      if (decoded.cause() instanceof TooLongHttpLineException) {
        return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
      }
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
    }
    if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "a WebSocket upgrade needs HTTP/1.1");
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    if (!(q < 0 ? uri : uri.substring(0, q)).equals(path)) {
      return new Refusal(HttpResponseStatus.NOT_FOUND, Rejection.NOT_FOUND, "the WebSocket endpoint is " + path, null, null);
    }
    if (!req.method().equals(HttpMethod.GET)) {
      return new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED, Rejection.BAD_REQUEST,
          "a WebSocket upgrade is a GET", HttpHeaderNames.ALLOW.toString(), "GET");
    }
    HttpHeaders h = req.headers();
    if (!hasToken(h.getAll(HttpHeaderNames.UPGRADE), "websocket")) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "expected a WebSocket upgrade");
    }
    if (!hasToken(h.getAll(HttpHeaderNames.CONNECTION), "upgrade")) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "the Connection header must carry the token Upgrade");
    }
    List<String> versions = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (versions.size() != 1 || !versions.get(0).trim().equals(VERSION)) {
      return new Refusal(HttpResponseStatus.UPGRADE_REQUIRED, Rejection.BAD_REQUEST,
          "only WebSocket version " + VERSION + " is supported",
          HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION);
    }
    List<String> keys = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    if (keys.size() != 1 || !isKey(keys.get(0).trim())) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64");
    }
    return null;
  }

  /** A key is the base64 encoding of exactly 16 bytes: 24 characters ending in "==". */
  static boolean isKey(String key) {
    if (key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether any of these comma-separated header values holds {@code token}, ignoring case. */
  static boolean hasToken(List<String> values, String token) {
    for (String v : values) {
      for (String part : v.split(",")) {
        if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
