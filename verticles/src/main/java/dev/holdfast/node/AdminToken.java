package dev.holdfast.node;

import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The optional bearer token of the admin port: every route but {@code /health} and {@code /ready}
 * (which load balancers and Kubernetes probe without credentials) answers 401 without it.
 */
final class AdminToken {

  private AdminToken() {
  }

  /** Puts the check in front of every route of {@code router}; nothing when {@code token} is null. */
  static void protect(Router router, String token) {
    if (token == null) {
      return;
    }
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    router.route().order(-1).handler(rc -> {
      String path = rc.normalizedPath();
      String given = rc.request().getHeader("Authorization");
      if (path.equals("/health") || path.equals("/ready")
          || given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        rc.next();
      } else {
        rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end("admin token required\n");
      }
    });
  }
}
