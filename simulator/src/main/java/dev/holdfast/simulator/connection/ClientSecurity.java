package dev.holdfast.simulator.connection;

import dev.holdfast.config.ConfigException;
import dev.holdfast.simulator.config.SecurityOptions;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.target.Target;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * What one verticle's connections need to pass a hardened node: the TLS client context for
 * {@code wss://} targets, the token each handshake carries (query parameter or bearer header) and
 * the {@code Origin} header. Made once per verticle from {@link SecurityOptions}; the files it
 * names are read here, and a bad one is a {@link ConfigException} on its JSON path.
 */
final class ClientSecurity {

  private final SslContext tls;
  private final ConnectionToken token;
  private final boolean tokenInHeader;
  private final String queryParameter;
  /** The headers of every handshake when they do not carry the token: shared, only read by the handshakers. */
  private final HttpHeaders sharedHeaders;
  private final String origin;

  private ClientSecurity(SslContext tls, ConnectionToken token, SecurityOptions o) {
    this.tls = tls;
    this.token = token;
    this.tokenInHeader = SecurityOptions.TOKEN_IN_HEADER.equals(o.tokenIn());
    this.queryParameter = o.tokenQueryParameter();
    this.origin = o.origin();
    this.sharedHeaders = origin == null ? EmptyHttpHeaders.INSTANCE : new DefaultHttpHeaders().set(HttpHeaderNames.ORIGIN, origin);
  }

  /**
   * Reads the trust and key files of {@code config.security()}; the TLS context is made when a
   * target is {@code wss://} or the targets come from the cluster view (any of them may be).
   */
  static ClientSecurity of(SimulatorConfig config) {
    SecurityOptions o = config.security();
    boolean mayNeedTls = config.clusterTargets()
        || config.targets().stream().anyMatch(u -> "wss".equalsIgnoreCase(u.getScheme()));
    SslContext tls = mayNeedTls ? tlsContext(o) : null;
    ConnectionToken token = o.signsTokens()
        ? new ConnectionToken(secret(o), o.tokenLifetime().toSeconds(), o.tokenAudience()) : null;
    return new ClientSecurity(tls, token, o);
  }

  private static SslContext tlsContext(SecurityOptions o) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient()
          .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
      if (o.insecureTrustAllCertificates()) {
        b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
      } else {
        b.endpointIdentificationAlgorithm("HTTPS");
        if (o.trustCertFile() != null) {
          b.trustManager(Path.of(o.trustCertFile()).toFile()); // parses the file now: a bad one fails here
        }
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException("$.security.trustCertFile", "\"" + o.trustCertFile() + "\" cannot be used ("
          + e.getMessage() + "); give a readable PEM file of the CA or certificate the node presents");
    }
  }

  private static byte[] secret(SecurityOptions o) {
    if (o.tokenSecret() != null) {
      return o.tokenSecret().getBytes(StandardCharsets.UTF_8);
    }
    String text;
    try {
      text = Files.readString(Path.of(o.tokenSecretFile())).trim();
    } catch (IOException e) {
      throw new ConfigException("$.security.tokenSecretFile", "\"" + o.tokenSecretFile() + "\" cannot be read ("
          + e.getMessage() + "); give a readable file holding the node's token key");
    }
    byte[] secret = text.getBytes(StandardCharsets.UTF_8);
    if (secret.length < 32) {
      throw new ConfigException("$.security.tokenSecretFile", "holds a key that is too short; use the node's key,"
          + " at least 32 bytes (HMAC-SHA256)");
    }
    return secret;
  }

  /** The TLS handler of a connection to {@code target} (SNI and host name from its URL), or null for {@code ws://}. */
  SslHandler tlsHandler(Channel ch, Target target) {
    if (!target.secure()) {
      return null;
    }
    SslHandler h = tls.newHandler(ch.alloc(), target.uri().getHost(), target.port());
    // the verticle's timing wheel times the whole handshake out (connectTimeout): no scheduled task per connection
    h.setHandshakeTimeoutMillis(0);
    return h;
  }

  /** The handshaker of connection {@code c}'s attempt now: its token (signed now) and origin in the request. */
  WebSocketClientHandshaker handshaker(SimulatedConnection c, Target target, int maxFrameBytes) {
    URI uri = target.uri();
    HttpHeaders headers = sharedHeaders;
    if (token != null) {
      String signed = token.sign(c.id, System.currentTimeMillis() / 1000);
      if (tokenInHeader) {
        headers = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + signed);
        if (origin != null) {
          headers.set(HttpHeaderNames.ORIGIN, origin);
        }
      } else {
        // base64url and dots need no escaping in a query
        String s = uri.toString();
        uri = URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + queryParameter + "=" + signed);
      }
    }
    return WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false, headers,
        maxFrameBytes);
  }
}
