package dev.holdfast.node;

/**
 * The node-wide connection cap, checked once per handshake by summing what every echo verticle
 * instance holds. Reads only: no lock and no shared counter on the connection path.
 *
 * <p>Two instances admitting at the same instant may both take the last free slot, so under
 * simultaneous handshakes the cap can be passed by at most {@code instances - 1}; the open-file
 * reserve absorbs that. Sequential handshakes meet the cap exactly.
 */
final class Admission {

  private final ConnectionLedger[] ledgers;
  private final long maxConnections;
  private volatile boolean draining;
  private AddressCap addressCap;

  Admission(ConnectionLedger[] ledgers, long maxConnections) {
    this.ledgers = ledgers;
    this.maxConnections = maxConnections;
  }

  boolean hasRoom() {
    long held = 0;
    for (ConnectionLedger l : ledgers) {
      held += l.held();
    }
    return held < maxConnections;
  }

  /** The node's one per-address cap, shared by every echo instance; created by the first to ask. */
  synchronized AddressCap addressCap(int maxPerAddress) {
    if (addressCap == null) {
      addressCap = new AddressCap(maxPerAddress);
    }
    return addressCap;
  }

  long maxConnections() {
    return maxConnections;
  }

  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
