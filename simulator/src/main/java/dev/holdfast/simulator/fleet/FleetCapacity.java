package dev.holdfast.simulator.fleet;

/**
 * Whether one simulator's share of the population fits what it can hold (its open-file limit less
 * the reserve), and if not, how many simulators the fleet needs: every simulator is assumed to
 * hold as much as this one. Pure arithmetic, checked again each time the share changes.
 *
 * @param population the fleet-wide population
 * @param members simulators in the fleet now
 * @param share this simulator's share of the population
 * @param canHold how many connections this simulator can hold
 */
public record FleetCapacity(long population, int members, long share, long canHold) {

  /** True when this simulator can hold its share. */
  public boolean fits() {
    return share <= canHold;
  }

  /** How many simulators of this one's size the population needs (at least 1); -1 when one can hold nothing. */
  public long needed() {
    if (canHold <= 0) {
      return population == 0 ? 1 : -1;
    }
    return Math.max(1, ceilDiv(population, canHold));
  }

  /** What this simulator holds: its share, or as much of it as it can. */
  public long holdable() {
    return Math.min(share, canHold);
  }

  /** What is wrong and how to fix it, or null when the share fits. */
  public String problem() {
    if (fits()) {
      return null;
    }
    long needed = needed();
    if (needed < 0) {
      return "population " + population + " cannot be held: this simulator can hold no connections at all"
          + " (raise its open-file limit; see `holdfast preflight`)";
    }
    String fleet = "population " + population + " needs at least " + needed + " simulators of ≤ "
        + ceilDiv(population, needed) + " each";
    return members >= needed
        ? fleet + "; the fleet has " + members + " but this one's share is " + share + ", more than the " + canHold
            + " it can hold: raise its open-file limit"
        : fleet + "; the fleet has " + members + ": start " + (needed - members) + " more";
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
