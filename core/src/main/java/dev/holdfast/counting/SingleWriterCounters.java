package dev.holdfast.counting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of counters written by one thread (a verticle's event loop) and read by any.
 *
 * <p>The writer does a plain read-add and publishes it with a release store (an ordinary store on
 * x86): no lock, no atomic read-modify-write, nothing shared on the connection path. Readers use
 * acquire loads, so each value they see is one the writer stored, and a node's total, summed over
 * its verticles' counters without stopping them, is at most a few events behind; exact once the
 * writers are quiet. Only the owning thread may call the writing methods.
 */
public final class SingleWriterCounters {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots;

  /** {@code size} counters, all zero. */
  public SingleWriterCounters(int size) {
    this.slots = new long[size];
  }

  /** Adds {@code delta} to counter {@code slot}. Writer thread only. */
  public void add(int slot, long delta) {
    SLOT.setRelease(slots, slot, slots[slot] + delta);
  }

  /** Raises counter {@code slot} to {@code value} if that is larger: a running maximum. Writer thread only. */
  public void raiseTo(int slot, long value) {
    if (value > slots[slot]) {
      SLOT.setRelease(slots, slot, value);
    }
  }

  /** The last value the writer published in counter {@code slot}. Any thread. */
  public long get(int slot) {
    return (long) SLOT.getAcquire(slots, slot);
  }

  /** How many counters there are. */
  public int size() {
    return slots.length;
  }
}
