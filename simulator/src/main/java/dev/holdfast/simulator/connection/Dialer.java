package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.target.Target;

/** Starts the TCP connect of a connection now CONNECTING; the channel's handlers report back to {@code life}. */
interface Dialer {
  void dial(SimulatedConnection c, Target target, ConnectionLife life);
}
