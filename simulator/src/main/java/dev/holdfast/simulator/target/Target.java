package dev.holdfast.simulator.target;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * One echo node's WebSocket endpoint. The {@link #index()} is assigned by the directory, unique
 * and stable for the directory's life, so per-target counts can live in plain arrays.
 */
public final class Target {

  private final int index;
  private final URI uri;
  private final InetSocketAddress address;

  /** A target; the host is resolved once, here. */
  public Target(int index, URI uri) {
    this.index = index;
    this.uri = uri;
    int port = uri.getPort() >= 0 ? uri.getPort() : isSecure(uri) ? 443 : 80;
    this.address = new InetSocketAddress(uri.getHost(), port);
  }

  private static boolean isSecure(URI uri) {
    return "wss".equalsIgnoreCase(uri.getScheme());
  }

  /** True for a {@code wss://} target: the connection speaks TLS. */
  public boolean secure() {
    return isSecure(uri);
  }

  public int index() {
    return index;
  }

  public URI uri() {
    return uri;
  }

  /** Where to connect. */
  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
