package dev.holdfast.simulator.schedule;

import java.util.function.Consumer;

/**
 * A hashed timing wheel for one event loop: entries are due at an integer tick, kept in the bucket
 * {@code tick mod size} as an intrusive doubly linked list, so scheduling, rescheduling and
 * cancelling are O(1) and cost no allocation. Each entry is in at most one bucket at a time.
 *
 * <p>{@link #advance} must be called for every tick in order; an entry due more than one turn of
 * the wheel ahead simply stays in its bucket until its turn comes. Not thread-safe.
 *
 * @param <E> the scheduled type, which carries the links itself
 */
public final class TimingWheel<E extends TimingWheel.Entry> {

  /** The links and due tick a scheduled object carries: 12 bytes, no separate node object. */
  public abstract static class Entry {
    private static final int NOT_SCHEDULED = Integer.MIN_VALUE;
    Entry prev;
    Entry next;
    int due = NOT_SCHEDULED;

    /** True while the entry waits in the wheel. */
    public final boolean scheduled() {
      return due != NOT_SCHEDULED;
    }

    /** The tick the entry is due at, while scheduled. */
    public final int dueTick() {
      return due;
    }
  }

  private final Entry[] buckets;
  private final int mask;
  private int current;
  private int size;
  private Entry[] dueNow = new Entry[64];

  /** A wheel of at least {@code minBuckets} buckets (rounded up to a power of two) starting at {@code startTick}. */
  public TimingWheel(int minBuckets, int startTick) {
    int n = Integer.highestOneBit(Math.max(2, minBuckets - 1)) << 1;
    this.buckets = new Entry[n];
    this.mask = n - 1;
    this.current = startTick;
  }

  /** The last tick advanced to. */
  public int currentTick() {
    return current;
  }

  /** Entries scheduled. */
  public int size() {
    return size;
  }

  /** Schedules (or reschedules) {@code e} at {@code tick}; a tick not after the current one means the next tick. */
  public void schedule(E e, int tick) {
    if (e.scheduled()) {
      unlink(e);
    }
    int due = tick - current > 0 ? tick : current + 1;
    e.due = due;
    int b = due & mask;
    e.prev = null;
    e.next = buckets[b];
    if (e.next != null) {
      e.next.prev = e;
    }
    buckets[b] = e;
    size++;
  }

  /** Removes {@code e} if it is scheduled. */
  public void cancel(E e) {
    if (e.scheduled()) {
      unlink(e);
    }
  }

  private void unlink(Entry e) {
    if (e.prev != null) {
      e.prev.next = e.next;
    } else {
      buckets[e.due & mask] = e.next;
    }
    if (e.next != null) {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.due = Entry.NOT_SCHEDULED;
    size--;
  }

  /**
   * Moves to the next tick and hands every entry due at it to {@code onDue}, unscheduled first, so
   * that {@code onDue} may schedule it again (even into the same bucket). The due entries are
   * taken out of the bucket before any is handed over, so what {@code onDue} does to the wheel
   * cannot disturb the walk.
   */
  @SuppressWarnings("unchecked")
  public void advance(Consumer<? super E> onDue) {
    int tick = ++current;
    int n = 0;
    for (Entry e = buckets[tick & mask]; e != null; ) {
      Entry next = e.next;
      if (e.due - tick <= 0) {
        unlink(e);
        if (n == dueNow.length) {
          dueNow = java.util.Arrays.copyOf(dueNow, n * 2);
        }
        dueNow[n++] = e;
      }
      e = next;
    }
    for (int i = 0; i < n; i++) {
      Entry e = dueNow[i];
      dueNow[i] = null;
      onDue.accept((E) e);
    }
  }
}
