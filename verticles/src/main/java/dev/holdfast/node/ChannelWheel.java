package dev.holdfast.node;

import io.netty.channel.Channel;
import java.util.List;

/**
 * A timing wheel of channel sets: a channel put in at tick {@code t} with a delay of {@code d}
 * ticks comes out of {@link #advance} at tick {@code t + d}, unless removed first. Each slot is a
 * {@link HeldChannels} array, so a waiting channel costs a reference in one array and nothing
 * else: no timer, no task, no entry object. Event loop only.
 */
final class ChannelWheel {

  private final HeldChannels[] slots;
  private int cursor;

  /** A wheel for delays of up to {@code maxDelayTicks}. */
  ChannelWheel(int maxDelayTicks) {
    slots = new HeldChannels[maxDelayTicks + 1];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new HeldChannels();
    }
  }

  /** Puts {@code ch} in the slot that comes due {@code delayTicks} (1 to the maximum) from now. */
  void add(Channel ch, int delayTicks) {
    int d = Math.max(1, Math.min(delayTicks, slots.length - 1));
    slots[(cursor + d) % slots.length].add(ch);
  }

  /** Takes {@code ch} out of whichever slot holds it; false when it was in none. */
  boolean remove(Channel ch) {
    for (HeldChannels s : slots) {
      if (s.remove(ch)) {
        return true;
      }
    }
    return false;
  }

  /** Moves on one tick and returns the channels that came due, now out of the wheel. */
  List<Channel> advance() {
    cursor = (cursor + 1) % slots.length;
    HeldChannels due = slots[cursor];
    if (due.size() == 0) {
      return List.of();
    }
    List<Channel> out = due.snapshot();
    slots[cursor] = new HeldChannels(); // lets a large slot's array go instead of shrinking it entry by entry
    return out;
  }

  int size() {
    int n = 0;
    for (HeldChannels s : slots) {
      n += s.size();
    }
    return n;
  }
}
