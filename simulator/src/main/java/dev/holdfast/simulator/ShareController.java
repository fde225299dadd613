package dev.holdfast.simulator;

import dev.holdfast.simulator.connection.SimulatorVerticle;
import dev.holdfast.simulator.fleet.FleetCapacity;
import dev.holdfast.simulator.fleet.Membership;
import dev.holdfast.simulator.fleet.PopulationShare;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This node's share of the population: reads the fleet's membership, computes the share, splits
 * it among the verticles, and checks it against what this process can hold. A share it cannot hold
 * is cut down to what it can, and the run says so, with how many simulators the fleet needs.
 * Owned by the node's context.
 */
final class ShareController {

  private static final Logger LOG = Logger.getLogger(ShareController.class.getName());

  private final long population;
  private final Membership membership;
  private final long canHold;
  private final Consumer<String> progress;
  private List<SimulatorVerticle> verticles = List.of();
  private List<String> members = List.of();
  /** -1 until this node has joined the fleet (see {@link Membership#members()}). */
  private long share = -1;
  private boolean waitedToJoin;
  private FleetCapacity capacity;

  /**
   * @param canHold connections this process can hold (open-file limit less the reserve)
   * @param progress receives the lines a change prints ("joined", "rebalance", "fleet too small")
   */
  ShareController(long population, Membership membership, long canHold, Consumer<String> progress) {
    this.population = population;
    this.membership = membership;
    this.canHold = canHold;
    this.progress = progress;
  }

  /** The verticles the share is split among, once deployed. */
  void verticles(List<SimulatorVerticle> deployed) {
    this.verticles = List.copyOf(deployed);
  }

  /** Reads the membership and applies a changed share; {@code elapsed} prefixes the lines it prints. */
  void poll(String elapsed) {
    List<String> now;
    try {
      now = membership.members();
    } catch (RuntimeException e) {
      LOG.warning("membership: " + e);
      return;
    }
    members = List.copyOf(now);
    if (share < 0 && !now.contains(membership.selfId())) {
      waitedToJoin = true; // the others have not all seen this node yet: it takes no share
      return;
    }
    long newShare = PopulationShare.of(population, now, membership.selfId());
    if (newShare == share) {
      return;
    }
    if (share < 0 && waitedToJoin) {
      progress.accept(elapsed + " joined: " + now.size() + " member(s), this node's share " + newShare);
    } else if (share >= 0) {
      progress.accept(elapsed + " rebalance: " + now.size() + " member(s), this node's share " + share + " -> " + newShare);
    }
    share = newShare;
    capacity = new FleetCapacity(population, now.size(), newShare, canHold);
    if (!capacity.fits()) {
      String line = "fleet too small: " + capacity.problem() + "; this simulator holds " + capacity.holdable()
          + " of its share of " + newShare;
      LOG.warning(line);
      progress.accept(elapsed + " " + line);
    }
    long holding = capacity.holdable();
    for (int i = 0; i < verticles.size(); i++) {
      verticles.get(i).setShare(PopulationShare.of(holding, verticles.size(), i), population);
    }
  }

  /** The members at the last poll. */
  List<String> members() {
    return members;
  }

  /** This node's share, or -1 before it has joined. */
  long share() {
    return share;
  }

  /** What is wrong with the fleet's size, or null when this node's share fits. */
  String fleetProblem() {
    return capacity == null || capacity.fits() ? null : capacity.problem();
  }

  /** Connections this process can hold. */
  long canHold() {
    return canHold;
  }
}
