package dev.holdfast.node;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels one echo verticle holds, so that a drain can close each of them with 1001.
 *
 * <p>An open-addressing set (linear probing, deletion by backward shift) of channel references in
 * one array: between 4 and 16 bytes per held connection with compressed references, against about
 * 40 for a {@code HashSet} entry and more for Netty's {@code ChannelGroup}, which also adds a
 * close listener per channel. Not thread-safe: only the owning event loop touches it.
 */
final class HeldChannels {

  private static final int MIN_CAPACITY = 64;

  private Channel[] slots = new Channel[MIN_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  void add(Channel ch) {
    if ((size + 1) * 2 > slots.length) {
      resize(slots.length * 2);
    }
    int mask = slots.length - 1;
    int i = home(ch, mask);
    while (slots[i] != null) {
      if (slots[i] == ch) {
        return;
      }
      i = (i + 1) & mask;
    }
    slots[i] = ch;
    size++;
  }

  boolean remove(Channel ch) {
    int mask = slots.length - 1;
    int i = home(ch, mask);
    while (slots[i] != ch) {
      if (slots[i] == null) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = null;
    size--;
    // backward-shift: move later members of the probe run into the hole so lookups never stop early
    int hole = i;
    int j = (i + 1) & mask;
    while (slots[j] != null) {
      int h = home(slots[j], mask);
      boolean movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        slots[hole] = slots[j];
        slots[j] = null;
        hole = j;
      }
      j = (j + 1) & mask;
    }
    if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
      resize(slots.length / 2); // give memory back after a large drop
    }
    return true;
  }

  boolean contains(Channel ch) {
    int mask = slots.length - 1;
    for (int i = home(ch, mask); slots[i] != null; i = (i + 1) & mask) {
      if (slots[i] == ch) {
        return true;
      }
    }
    return false;
  }

  /** A copy of the members, safe to iterate while channels close and remove themselves. */
  List<Channel> snapshot() {
    List<Channel> out = new ArrayList<>(size);
    for (Channel c : slots) {
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private void resize(int capacity) {
    Channel[] old = slots;
    slots = new Channel[capacity];
    size = 0;
    for (Channel c : old) {
      if (c != null) {
        add(c);
      }
    }
  }

  private static int home(Channel ch, int mask) {
    int x = System.identityHashCode(ch) * 0x9E3779B1;
    return (x ^ (x >>> 16)) & mask;
  }
}
