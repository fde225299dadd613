package dev.holdfast.node;

import dev.holdfast.node.ConnectionLedger.Rejection;
import dev.holdfast.node.HandshakeCheck.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may upgrade, decided the same way whichever handler read the request: the strict checks of
 * {@link HandshakeCheck}, then the origin allowlist (403), the handshake token (401), drain and
 * node cap (503) and the per-address cap (503), in that order, each refusal counted by its reason;
 * an admitted connection is counted as held. One per echo verticle instance, on its event loop.
 */
final class UpgradeGate {

  private final HandshakeCheck check;
  private final Set<String> origins;
  private final HandshakeToken tokens;
  private final String tokenParameter;
  private final AddressCap addressCap;
  private final String retryAfterSeconds;
  private final Admission admission;
  private final ConnectionLedger ledger;
  private final HeldChannels held;
  private final ConnectionSweep sweep;

  UpgradeGate(NodeConfig config, Admission admission, ConnectionLedger ledger, HeldChannels held,
      ConnectionSweep sweep) {
    this.check = new HandshakeCheck(config.path());
    this.origins = config.allowedOrigins().stream().map(UpgradeGate::lowerCase).collect(Collectors.toSet());
    this.tokens = config.tokenSecret() == null ? null
        : new HandshakeToken(config.tokenSecret().getBytes(StandardCharsets.UTF_8), config.tokenAudience());
    this.tokenParameter = config.tokenQueryParameter();
    this.addressCap = config.maxConnectionsPerAddress() == 0 ? null
        : admission.addressCap(config.maxConnectionsPerAddress());
    this.retryAfterSeconds = Long.toString(Math.max(1, (config.retryAfter().toMillis() + 999) / 1000));
    this.admission = admission;
    this.ledger = ledger;
    this.held = held;
    this.sweep = sweep;
  }

  /**
   * Null when {@code ch} may upgrade with this request, which is then counted as opened and held
   * (its caller must upgrade it); otherwise the refusal, counted under its reason.
   */
  Refusal admit(UpgradeRequest req, Channel ch) {
    Refusal bad = check.check(req);
    if (bad == null) {
      bad = admitChecked(req, ch);
    }
    if (bad != null) {
      ledger.onRejected(bad.reason());
    }
    return bad;
  }

  /** The decisions after {@link HandshakeCheck}'s, and the count of an admitted connection. */
  private Refusal admitChecked(UpgradeRequest req, Channel ch) {
    if (!origins.isEmpty() && !origins.contains(lowerCase(req.origin))) {
      return new Refusal(HttpResponseStatus.FORBIDDEN, Rejection.ORIGIN, "origin not allowed", null, null);
    }
    HandshakeToken.Claims claims = null;
    if (tokens != null) {
      try {
        claims = tokens.verify(token(req), System.currentTimeMillis() / 1000);
      } catch (HandshakeToken.Refused e) {
        return new Refusal(HttpResponseStatus.UNAUTHORIZED, Rejection.UNAUTHORIZED, e.getMessage(),
            HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer");
      }
    }
    if (admission.draining()) {
      return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.DRAINING, "node is draining", null, null);
    }
    if (!admission.hasRoom()) {
      return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.CAPACITY,
          "node holds its maximum of " + admission.maxConnections() + " connections", null, null);
    }
    InetAddress address = addressCap == null ? null : ((InetSocketAddress) ch.remoteAddress()).getAddress();
    if (address != null && !addressCap.tryAcquire(address)) {
      return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, Rejection.ADDRESS_CAP,
          "this address holds its maximum of " + addressCap.maxPerAddress() + " connections", null, null);
    }
    held.add(ch);
    sweep.onUpgraded(ch);
    if (claims != null) {
      sweep.onAuthenticated(ch, claims.expiresAt());
    }
    ledger.onOpened();
    return null;
  }

  /** The token from the query parameter, else from {@code Authorization: Bearer}; null when neither. */
  private String token(UpgradeRequest req) {
    List<String> fromQuery = new QueryStringDecoder(req.target).parameters().get(tokenParameter);
    if (fromQuery != null && !fromQuery.isEmpty()) {
      return fromQuery.get(0);
    }
    String auth = req.authorization;
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  /**
   * The whole HTTP response for a refusal: its status, a plain-text body saying why,
   * {@code Connection: close}, {@code Retry-After} on a 503, and the refusal's own header.
   */
  ByteBuf response(Refusal refusal, ByteBufAllocator alloc) {
    byte[] body = (refusal.why() + "\n").getBytes(StandardCharsets.UTF_8);
    HttpResponseStatus status = refusal.status();
    StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status.code()).append(' ')
        .append(status.reasonPhrase()).append("\r\ncontent-type: text/plain\r\ncontent-length: ").append(body.length)
        .append("\r\nconnection: close\r\n");
    if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) {
      head.append("retry-after: ").append(retryAfterSeconds).append("\r\n");
    }
    if (refusal.headerName() != null) {
      head.append(refusal.headerName()).append(": ").append(refusal.headerValue()).append("\r\n");
    }
    byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    return alloc.buffer(headBytes.length + body.length).writeBytes(headBytes).writeBytes(body);
  }

  private static String lowerCase(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
