package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorCounts;

/** Ledgers with chosen counts, for tests of what is built from them. */
public final class LedgerFixture {

  private final SimulatorLedger ledger = new SimulatorLedger();

  public LedgerFixture count(Count c, long n) {
    ledger.count(c, n);
    return this;
  }

  public LedgerFixture closed(CloseCause cause, int n) {
    for (int i = 0; i < n; i++) {
      ledger.closed(cause);
    }
    return this;
  }

  public LedgerFixture errorStatus(int status, int n) {
    for (int i = 0; i < n; i++) {
      ledger.error(ErrorCounts.handshakeStatus(status));
    }
    return this;
  }

  public LedgerFixture open(int n) {
    for (int i = 0; i < n; i++) {
      ledger.onSeatAdded();
      ledger.onMove(ConnectionState.WAITING, ConnectionState.CONNECTING);
      ledger.onMove(ConnectionState.CONNECTING, ConnectionState.OPEN);
    }
    return this;
  }

  public SimulatorLedger ledger() {
    return ledger;
  }
}
