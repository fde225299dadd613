package dev.holdfast.node;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-source-address connection cap: how many connections one client address may hold on
 * this node. Node-wide, because SO_REUSEPORT spreads one address's connections over every echo
 * instance, so one concurrent map keyed by address: an entry per address that holds connections
 * (removed when its last one closes), nothing per connection. Used only when a cap is configured;
 * without one the handshake path does not touch it.
 */
final class AddressCap {

  private final int maxPerAddress;
  private final ConcurrentHashMap<InetAddress, Integer> held = new ConcurrentHashMap<>();

  AddressCap(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  int maxPerAddress() {
    return maxPerAddress;
  }

  /** Counts one more connection from {@code address}; false (and nothing counted) when it holds the cap already. */
  boolean tryAcquire(InetAddress address) {
    boolean[] admitted = {false};
    held.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      if (now >= maxPerAddress) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    return admitted[0];
  }

  /** A connection counted by {@link #tryAcquire} has closed. */
  void release(InetAddress address) {
    held.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** How many addresses hold connections now. */
  int addresses() {
    return held.size();
  }
}
