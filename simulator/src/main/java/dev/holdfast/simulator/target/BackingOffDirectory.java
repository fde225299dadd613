package dev.holdfast.simulator.target;

/**
 * The half of a {@link TargetDirectory} that is the same for every kind: refusals and failures
 * back a target off through {@link TargetBackoff}, a success clears it.
 */
abstract class BackingOffDirectory implements TargetDirectory {

  private final TargetBackoff backoff;

  BackingOffDirectory(long initialNanos, long maxNanos) {
    this.backoff = new TargetBackoff(initialNanos, maxNanos);
  }

  @Override
  public final boolean available(Target target, long nowNanos) {
    return backoff.available(target, nowNanos);
  }

  @Override
  public final void refused(Target target, long retryAfterNanos, long nowNanos) {
    backoff.backOff(target, retryAfterNanos, nowNanos);
  }

  @Override
  public final void failed(Target target, long nowNanos) {
    backoff.backOff(target, 0, nowNanos);
  }

  @Override
  public final void succeeded(Target target) {
    backoff.succeeded(target);
  }
}
