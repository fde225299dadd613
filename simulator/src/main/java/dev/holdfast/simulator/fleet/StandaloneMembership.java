package dev.holdfast.simulator.fleet;

import java.util.List;

/** A fleet of one: a simulator node outside any cluster, holding the whole population itself. */
public final class StandaloneMembership implements Membership {

  private final String selfId;

  /** A fleet of {@code selfId} alone. */
  public StandaloneMembership(String selfId) {
    this.selfId = selfId;
  }

  @Override
  public String selfId() {
    return selfId;
  }

  @Override
  public List<String> members() {
    return List.of(selfId);
  }

  @Override
  public boolean clustered() {
    return false;
  }
}
