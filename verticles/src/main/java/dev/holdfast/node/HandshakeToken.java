package dev.holdfast.node;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the signed token a client presents at the handshake: a JWT (RFC 7519) signed with
 * HMAC-SHA256 by a key the node shares with whoever issues tokens. Accepted only with
 * {@code alg} HS256, a valid signature (compared in constant time), a {@code sub}, an {@code exp}
 * in the future and, when the node is configured with an audience, that {@code aud}. JDK crypto
 * only. Pure logic: the clock is passed in.
 */
final class HandshakeToken {

  /** A token that passed: whose it is and when it expires (epoch seconds). */
  record Claims(String subject, long expiresAt) {
  }

  /** Why a token was refused; the message goes into the 401's body, never the key or the token. */
  static final class Refused extends Exception {
    Refused(String why) {
      super(why, null, false, false);
    }
  }

  private final SecretKeySpec key;
  private final String audience;

  HandshakeToken(byte[] secret, String audience) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.audience = audience;
  }

  /** The claims of {@code token} at time {@code nowSeconds}, or {@link Refused} saying why not. */
  Claims verify(String token, long nowSeconds) throws Refused {
    if (token == null || token.isEmpty()) {
      throw new Refused("a token is required");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw new Refused("the token is not a JWT");
    }
    JsonObject header = json(token.substring(0, dot1));
    if (!"HS256".equals(header.getValue("alg"))) {
      throw new Refused("the token must be signed with HS256");
    }
    byte[] signature = decode(token.substring(dot2 + 1));
    if (!MessageDigest.isEqual(signature, sign(token.substring(0, dot2)))) {
      throw new Refused("the token's signature is not valid");
    }
    JsonObject claims = json(token.substring(dot1 + 1, dot2));
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      throw new Refused("the token has no subject (sub)");
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw new Refused("the token has no expiry (exp)");
    }
    if (exp.longValue() <= nowSeconds) {
      throw new Refused("the token has expired");
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() > nowSeconds) {
      throw new Refused("the token is not valid yet (nbf)");
    }
    if (audience != null && !hasAudience(claims.getValue("aud"))) {
      throw new Refused("the token is not for this audience (aud)");
    }
    return new Claims(sub, exp.longValue());
  }

  private boolean hasAudience(Object aud) {
    if (aud instanceof String s) {
      return s.equals(audience);
    }
    return aud instanceof JsonArray list && list.contains(audience);
  }

  /** Signs {@code headerAndClaims} (the first two parts, base64url, joined by a dot). */
  byte[] sign(String headerAndClaims) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(headerAndClaims.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** A signed token for these claims: what a token issuer (and the tests) produce. */
  String issue(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String body = b64.encodeToString(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode()
        .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return body + "." + b64.encodeToString(sign(body));
  }

  private static byte[] decode(String part) throws Refused {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Refused("the token is not base64url");
    }
  }

  private static JsonObject json(String part) throws Refused {
    try {
      return new JsonObject(new String(decode(part), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new Refused("the token is not JSON");
    }
  }
}
