package dev.holdfast.simulator.fleet;

import java.util.List;

/**
 * Who is in the simulator fleet right now. Each simulator node computes its own share of the
 * population from {@link #members()} with {@link PopulationShare}, so members joining or leaving
 * rebalance the fleet without a leader. Implementations must be thread-safe; the simulator polls
 * {@link #members()} about once a second.
 */
public interface Membership {

  /** This simulator node's id, as it appears in {@link #members()}. */
  String selfId();

  /** The ids of the live simulator members, sorted, this node included once it has joined. */
  List<String> members();

  /**
   * False for a fleet of one that never changes: its share (the whole population) is known at
   * start, so a share it cannot hold is refused before the run. A clustered simulator starts with
   * any population and checks its share once the fleet is known.
   */
  default boolean clustered() {
    return true;
  }
}
