package dev.holdfast.simulator.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a population among the members of a sorted list so that the shares sum exactly to the
 * population: each of n members gets {@code P / n}, and the first {@code P mod n} get one more.
 * Every member computes the same split from the same list, so no leader is needed; the same rule
 * splits a node's share among its verticles.
 */
public final class PopulationShare {

  private PopulationShare() {
  }

  /** The share of member {@code index} of {@code members}. */
  public static long of(long population, int members, int index) {
    if (members <= 0 || index < 0 || index >= members) {
      throw new IllegalArgumentException("member " + index + " of " + members);
    }
    return population / members + (index < population % members ? 1 : 0);
  }

  /**
   * The share of {@code self} in a population split among {@code members} (sorted here, so any
   * order gives the same answer); 0 when {@code self} is not (yet) a member.
   */
  public static long of(long population, List<String> members, String self) {
    List<String> sorted = new ArrayList<>(members);
    Collections.sort(sorted);
    int index = sorted.indexOf(self);
    return index < 0 ? 0 : of(population, sorted.size(), index);
  }

  /** A fleet-wide rate or bound scaled to a share: {@code total * share / population}. */
  public static double scaled(double total, long share, long population) {
    return population <= 0 ? 0 : total * share / population;
  }
}
