package dev.holdfast.simulator.connection;

import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the token a connection presents at its handshake: an HS256 JWT (RFC 7519) with {@code sub}
 * = the connection id, {@code exp} = now + the configured lifetime and, when configured, {@code aud};
 * what the node's {@code HandshakeToken} checks. One per verticle, used only on its event loop: the
 * {@link Mac} is made once and reused, so a token costs one HMAC and a few short strings.
 */
final class ConnectionToken {

  /** {@code {"alg":"HS256","typ":"JWT"}}, base64url: the same for every token. */
  private static final String HEADER = base64(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Mac mac;
  private final long lifetimeSeconds;
  /** {@code ,"aud":"..."} with the audience JSON-escaped, or empty. */
  private final String audienceClaim;

  ConnectionToken(byte[] secret, long lifetimeSeconds, String audience) {
    try {
      this.mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
    this.lifetimeSeconds = lifetimeSeconds;
    this.audienceClaim = audience == null ? "" : ",\"aud\":" + Json.encode(audience);
  }

  /** The token of connection {@code connectionId}, valid from {@code nowSeconds} (epoch) for the lifetime. */
  String sign(long connectionId, long nowSeconds) {
    String claims = "{\"sub\":\"" + connectionId + "\",\"exp\":" + (nowSeconds + lifetimeSeconds) + audienceClaim + "}";
    String body = HEADER + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
    return body + "." + base64(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
