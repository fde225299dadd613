package dev.holdfast.simulator.connection;

import static dev.holdfast.simulator.connection.ConnectionState.CLOSED;
import static dev.holdfast.simulator.connection.ConnectionState.CLOSING;
import static dev.holdfast.simulator.connection.ConnectionState.CONNECTING;
import static dev.holdfast.simulator.connection.ConnectionState.OPEN;
import static dev.holdfast.simulator.connection.ConnectionState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

  private static final Map<ConnectionState, Set<ConnectionState>> LEGAL = Map.of(
      CLOSED, EnumSet.of(WAITING, CONNECTING),
      WAITING, EnumSet.of(CONNECTING, CLOSED),
      CONNECTING, EnumSet.of(OPEN, CLOSED),
      OPEN, EnumSet.of(CLOSING, CLOSED),
      CLOSING, EnumSet.of(CLOSED));

  @Test
  void exactlyTheDocumentedTransitionsAreLegal() {
    for (ConnectionState from : ConnectionState.values()) {
      for (ConnectionState to : ConnectionState.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(LEGAL.get(from).contains(to));
      }
    }
  }

  @Test
  void aConnectionLivesThroughChurnCycles() {
    SimulatedConnection c = new SimulatedConnection(0);
    assertThat(c.state()).isEqualTo(CLOSED);
    for (int cycle = 0; cycle < 3; cycle++) {
      c.moveTo(WAITING);
      c.moveTo(CONNECTING);
      c.moveTo(OPEN);
      c.moveTo(CLOSING);
      c.moveTo(CLOSED);
    }
    // a failed attempt, and a connection the server drops without a close frame
    c.moveTo(CONNECTING);
    c.moveTo(CLOSED);
    c.moveTo(WAITING);
    c.moveTo(CONNECTING);
    c.moveTo(OPEN);
    assertThat(c.moveTo(CLOSED)).isEqualTo(OPEN);
  }

  @Test
  void illegalTransitionsAreRejectedAndLeaveTheStateAlone() {
    SimulatedConnection c = new SimulatedConnection(7);
    assertThatThrownBy(() -> c.moveTo(OPEN)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED -> OPEN");
    assertThat(c.state()).isEqualTo(CLOSED);
    c.moveTo(WAITING);
    assertThatThrownBy(() -> c.moveTo(CLOSING)).isInstanceOf(IllegalStateException.class);
    c.moveTo(CONNECTING);
    assertThatThrownBy(() -> c.moveTo(CLOSING)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c.moveTo(WAITING)).isInstanceOf(IllegalStateException.class);
    c.moveTo(OPEN);
    assertThatThrownBy(() -> c.moveTo(CONNECTING)).isInstanceOf(IllegalStateException.class);
    c.moveTo(CLOSING);
    assertThatThrownBy(() -> c.moveTo(OPEN)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c.moveTo(CLOSING)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theLedgerCountsConnectionsByState() {
    SimulatorLedger ledger = new SimulatorLedger();
    ledger.onSeatAdded();
    ledger.onSeatAdded();
    ledger.onMove(CLOSED, WAITING);
    ledger.onMove(WAITING, CONNECTING);
    ledger.onMove(CONNECTING, OPEN);
    assertThat(ledger.held()).isEqualTo(1);
    assertThat(ledger.inState(CLOSED)).isEqualTo(1);
    assertThat(LedgerTotals.of(java.util.List.of(ledger, ledger)).held()).isEqualTo(2);
  }

  @Test
  void perTargetCountsGrowWithNewTargets() {
    SimulatorLedger ledger = new SimulatorLedger();
    ledger.assign(3, 1);
    ledger.assign(40, 2);
    ledger.assign(3, 1);
    assertThat(ledger.assigned(3)).isEqualTo(2);
    assertThat(ledger.assigned(40)).isEqualTo(2);
    assertThat(ledger.assigned(1000)).isZero();
  }
}
