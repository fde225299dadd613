package dev.holdfast.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, polling; the alternative to bare sleeps in tests. */
public final class Eventually {

  private Eventually() {
  }

  /**
   * Polls {@code value} until {@code done} accepts it or the deadline passes; returns the last value
   * either way, so the caller's assertion shows what was seen.
   */
  public static <T> T poll(Duration deadline, Supplier<T> value, java.util.function.Predicate<T> done) {
    long end = System.nanoTime() + deadline.toNanos();
    T v = value.get();
    while (!done.test(v) && System.nanoTime() < end) {
      LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
      v = value.get();
    }
    return v;
  }
}
