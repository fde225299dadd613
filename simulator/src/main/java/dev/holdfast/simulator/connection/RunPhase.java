package dev.holdfast.simulator.connection;

/** What a verticle is doing with its share: its {@link ConnectionLife} acts on each event accordingly. */
enum RunPhase {
  /** Opening, holding, churning and messaging. */
  HOLD,
  /** No more churn or messages; reopening what waits, letting echoes come in. */
  SETTLE,
  /** Closing everything; nothing reopens. */
  CLOSE_ALL
}
