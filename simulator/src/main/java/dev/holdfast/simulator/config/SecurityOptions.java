package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code security} object of a simulator config: what a hardened echo node asks of a client.
 * How {@code wss://} targets are trusted, the signed token each connection presents (an HS256
 * JWT with {@code sub} = the connection id, made with the node's key) and the {@code Origin}
 * header. Files named here are read when the simulator starts, not when the config is read.
 */
public final class SecurityOptions {

  /** Where the token goes: the query parameter {@link #tokenQueryParameter()}. */
  public static final String TOKEN_IN_QUERY = "query";
  /** Where the token goes: an {@code Authorization: Bearer} header. */
  public static final String TOKEN_IN_HEADER = "header";
  /** Whether {@code wss://} trusts any certificate: never by default. */
  public static final boolean DEFAULT_INSECURE_TRUST_ALL_CERTIFICATES = false;
  /** How long each connection's token is valid from its handshake. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
  /** Where the token goes by default. */
  public static final String DEFAULT_TOKEN_IN = TOKEN_IN_QUERY;
  /** The query parameter of the token: the node's default. */
  public static final String DEFAULT_TOKEN_QUERY_PARAMETER = "access_token";
  /** The shortest HMAC-SHA256 key accepted, in bytes, as the node has it. */
  static final int MIN_SECRET_BYTES = 32;

  private String trustCertFile;
  private boolean insecureTrustAllCertificates = DEFAULT_INSECURE_TRUST_ALL_CERTIFICATES;
  private String tokenSecret;
  private String tokenSecretFile;
  private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
  private String tokenAudience;
  private String tokenIn = DEFAULT_TOKEN_IN;
  private String tokenQueryParameter = DEFAULT_TOKEN_QUERY_PARAMETER;
  private String origin;

  static SecurityOptions read(ConfigReader r) {
    SecurityOptions s = new SecurityOptions();
    s.trustCertFile = r.string("trustCertFile", null);
    s.insecureTrustAllCertificates = r.bool("insecureTrustAllCertificates", s.insecureTrustAllCertificates);
    if (s.insecureTrustAllCertificates && s.trustCertFile != null) {
      throw new ConfigException(r.pathOf("insecureTrustAllCertificates"),
          "true is not allowed beside trustCertFile; trust the given certificate, or (tests only) trust all");
    }
    s.tokenSecret = r.string("tokenSecret", null);
    s.tokenSecretFile = r.string("tokenSecretFile", null);
    if (s.tokenSecret != null && s.tokenSecretFile != null) {
      throw new ConfigException(r.pathOf("tokenSecretFile"), "is not allowed beside tokenSecret; give one of the two");
    }
    if (s.tokenSecret != null && s.tokenSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(r.pathOf("tokenSecret"), "is too short; use the node's key, at least "
          + MIN_SECRET_BYTES + " bytes (HMAC-SHA256)");
    }
    s.tokenLifetime = r.duration("tokenLifetime", s.tokenLifetime, Duration.ofSeconds(1), Duration.ofDays(365));
    s.tokenAudience = r.string("tokenAudience", null);
    s.tokenIn = r.oneOf("tokenIn", s.tokenIn, TOKEN_IN_QUERY, TOKEN_IN_HEADER);
    s.tokenQueryParameter = r.string("tokenQueryParameter", s.tokenQueryParameter);
    if (!s.tokenQueryParameter.matches("[A-Za-z0-9._~-]+")) {
      throw new ConfigException(r.pathOf("tokenQueryParameter"), "\"" + s.tokenQueryParameter
          + "\" is not allowed; use letters, digits, '.', '_', '~' or '-', such as \"access_token\"");
    }
    s.origin = r.string("origin", null);
    if (s.origin != null && (s.origin.isEmpty() || s.origin.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e))) {
      throw new ConfigException(r.pathOf("origin"), "\"" + s.origin
          + "\" is not allowed; use an origin such as \"https://app.example.com\" (no spaces)");
    }
    r.finish();
    return s;
  }

  /** The {@code security} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("trustCertFile", trustCertFile)
        .put("insecureTrustAllCertificates", insecureTrustAllCertificates)
        .put("tokenSecret", tokenSecret).put("tokenSecretFile", tokenSecretFile)
        .put("tokenLifetime", Durations.format(tokenLifetime)).put("tokenAudience", tokenAudience)
        .put("tokenIn", tokenIn).put("tokenQueryParameter", tokenQueryParameter).put("origin", origin);
  }

  /** True when connections present a token: a key is given inline or in a file. */
  public boolean signsTokens() {
    return tokenSecret != null || tokenSecretFile != null;
  }

  /** PEM certificate(s) (a CA or the node's own) that {@code wss://} trusts; null (default) = the JDK's trust store. */
  public String trustCertFile() {
    return trustCertFile;
  }

  public SecurityOptions trustCertFile(String trustCertFile) {
    this.trustCertFile = trustCertFile;
    return this;
  }

  /** Tests only: {@code wss://} accepts any certificate and any host name. Default false. */
  public boolean insecureTrustAllCertificates() {
    return insecureTrustAllCertificates;
  }

  public SecurityOptions insecureTrustAllCertificates(boolean insecureTrustAllCertificates) {
    this.insecureTrustAllCertificates = insecureTrustAllCertificates;
    return this;
  }

  /** The node's HMAC-SHA256 token key, inline; null (default) = no token, unless {@link #tokenSecretFile()}. */
  public String tokenSecret() {
    return tokenSecret;
  }

  public SecurityOptions tokenSecret(String tokenSecret) {
    this.tokenSecret = tokenSecret;
    return this;
  }

  /** A file holding the token key (trimmed), kept out of the config; null (default) = none. */
  public String tokenSecretFile() {
    return tokenSecretFile;
  }

  public SecurityOptions tokenSecretFile(String tokenSecretFile) {
    this.tokenSecretFile = tokenSecretFile;
    return this;
  }

  /** How long a token is valid ({@code exp} = its handshake + this), 1 s to 365 days. Default 1 h. */
  public Duration tokenLifetime() {
    return tokenLifetime;
  }

  public SecurityOptions tokenLifetime(Duration tokenLifetime) {
    this.tokenLifetime = tokenLifetime;
    return this;
  }

  /** The {@code aud} claim of each token; null (default) = none. */
  public String tokenAudience() {
    return tokenAudience;
  }

  public SecurityOptions tokenAudience(String tokenAudience) {
    this.tokenAudience = tokenAudience;
    return this;
  }

  /** {@value #TOKEN_IN_QUERY} (default) or {@value #TOKEN_IN_HEADER} ({@code Authorization: Bearer}). */
  public String tokenIn() {
    return tokenIn;
  }

  public SecurityOptions tokenIn(String tokenIn) {
    this.tokenIn = tokenIn;
    return this;
  }

  /** The query parameter of the token when {@link #tokenIn()} is query. Default {@value #DEFAULT_TOKEN_QUERY_PARAMETER}. */
  public String tokenQueryParameter() {
    return tokenQueryParameter;
  }

  /** The {@code Origin} header of each handshake; null (default) = Netty's own ({@code http://host:port}). */
  public String origin() {
    return origin;
  }

  public SecurityOptions origin(String origin) {
    this.origin = origin;
    return this;
  }
}
