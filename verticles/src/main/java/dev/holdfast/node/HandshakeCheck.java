package dev.holdfast.node;

import dev.holdfast.node.ConnectionLedger.Rejection;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Locale;

/**
 * The strict checks of a WebSocket opening handshake (RFC 6455, 4.2.1) before anything is
 * upgraded: each bad request gets the HTTP status that says what is wrong, instead of a dropped
 * connection. Pure logic on the parsed request, tested without a network; the same for a request
 * read in place ({@link UpgradeRequestParser}) and one parsed by Netty's HTTP codec.
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
  Refusal check(UpgradeRequest req) {
    if (req.malformed != null) {
      return malformed(req.malformed);
    }
    if (!req.http11) {
      return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "a WebSocket upgrade needs HTTP/1.1");
    }
    String uri = req.target;
    int q = uri.indexOf('?');
    if (!(q < 0 ? uri.equals(path) : q == path.length() && uri.startsWith(path))) {
      return new Refusal(HttpResponseStatus.NOT_FOUND, Rejection.NOT_FOUND, "the WebSocket endpoint is " + path, null, null);
    }
    if (!req.get) {
      return new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED, Rejection.BAD_REQUEST,
          "a WebSocket upgrade is a GET", HttpHeaderNames.ALLOW.toString(), "GET");
    }
    if (!req.upgradeWebSocket) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "expected a WebSocket upgrade");
    }
    if (!req.connectionUpgrade) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "the Connection header must carry the token Upgrade");
    }
    if (req.versionHeaders != 1 || !req.version13) {
      return new Refusal(HttpResponseStatus.UPGRADE_REQUIRED, Rejection.BAD_REQUEST,
          "only WebSocket version " + VERSION + " is supported",
          HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION);
    }
    if (req.keyHeaders != 1 || !isKey(req.key)) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64");
    }
    if (req.body) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "a WebSocket upgrade carries no body");
    }
    return null;
  }

  private static Refusal malformed(UpgradeRequest.Malformed why) {
    return switch (why) {
      case HEADERS_TOO_LARGE -> new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
      case LINE_TOO_LONG -> new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
      case BAD_SYNTAX -> new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
    };
  }

  /**
   * A key is the base64 encoding of exactly 16 bytes: 22 characters of the base64 alphabet, then
   * "==" (what the JDK's decoder accepts as 16 bytes, checked without decoding).
   */
  static boolean isKey(String key) {
    if (key == null || key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
      return false;
    }
    for (int i = 0; i < 22; i++) {
      char c = key.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
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
