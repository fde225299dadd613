package dev.holdfast.simulator.connection;

/** Why an open connection ended; each cause is counted on its own. */
public enum CloseCause {
  /** The churn policy closed it (it reopens after the churn reconnect delay). */
  CHURN("churn"),
  /** Storm mode dropped it. */
  STORM("storm"),
  /** This node's share shrank (a simulator joined): the seat was retired. */
  REBALANCE("rebalance"),
  /** The run ended. */
  END("end"),
  /** The server sent a close frame on its own initiative (such as 1001 when it drains). */
  SERVER("server"),
  /** The connection ended without a close frame: reset, or the server died. */
  LOST("lost");

  private final String key;

  CloseCause(String key) {
    this.key = key;
  }

  /** The name in reports and metric labels. */
  public String key() {
    return key;
  }
}
